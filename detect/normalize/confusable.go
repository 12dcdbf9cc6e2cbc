package normalize

// foldConfusables folds Cyrillic/Greek/Armenian/Cherokee look-alikes to
// Latin inside tokens (runs of letters, digits and marks) that either mix
// Latin letters with such letters ("UЅDТ", "Fеntаnуl"), or consist only of
// such letters when every one of them has a Latin look-alike ("ΜΟΝΕΥ",
// "ΝΡΡ", "Мехісо"). Why not fold every look-alike: Greek and Russian text
// is legitimate, and a real word almost always contains a letter with no
// Latin twin (δ, λ, π, ω, д, и, л, п, я, accented vowels), so such tokens
// stay as written and remain readable and matchable in their own script.
// Digits, Han and other scripts inside a token are neutral.
func (b *Builder) foldConfusables() {
	it := b.items
	n := len(it)
	for k := 0; k < n; k++ {
		// Only tokens holding a foreign letter matter: find one, then widen
		// to the token around it.
		if it[k].r < 0x370 || !foreign(it[k].r) {
			continue
		}
		lo, hi := k, k+1
		for lo > 0 && isWordPart(it[lo-1].r) {
			lo--
		}
		for hi < n && isWordPart(it[hi].r) {
			hi++
		}
		latin, foldable := false, true
		for x := lo; x < hi; x++ {
			r := it[x].r
			switch {
			case isLatin(r):
				latin = true
			case foreign(r):
				if _, ok := lookalike(r); !ok {
					foldable = false
				}
			}
		}
		if latin || foldable {
			for x := lo; x < hi; x++ {
				if l, ok := lookalike(it[x].r); ok {
					it[x].r = l
					it[x].own |= Confusable
				}
			}
		}
		k = hi
	}
}
