package detect

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"vigil/detect/normalize"
)

// Quality floors for the default engine (issue 3 asks ≥ 0.95 precision and
// ≥ 0.90 recall on an unseen held-out set). The quality sets under
// testdata/quality were written apart from the dev set to catch rules that
// only memorise dev phrasing.
const (
	minPrecision   = 0.95
	minRecall      = 0.90
	minCatRecall   = 0.85
	qualitySetGlob = "testdata/quality/*.jsonl"
	// trainingOnlyPrefix names files under testdata/quality that are
	// training material, not yardsticks (train-extra.jsonl, H31): they are
	// in the model's data and never measured.
	trainingOnlyPrefix = "train-"
)

// qualitySetFiles lists the measured quality sets (training-only files
// left out).
func qualitySetFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(qualitySetGlob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no quality sets at %s (%v)", qualitySetGlob, err)
	}
	return slices.DeleteFunc(files, func(f string) bool {
		return strings.HasPrefix(filepath.Base(f), trainingOnlyPrefix)
	})
}

// tunedSets were each measured first and then tuned on (rules and, since
// H17, the model's training data; blind8 and blind9 joined the model's data
// in H25; blind10 is tuned on by rules only and kept out of the model): they
// guard against regressions at the issue's floors.
//
// H25: blind10 (street English and Mexican Spanish slang, mule recruiter
// posts, WeChat shorthand, Cantonese) was written and measured once before
// any change (rules rp-b025e5d53386, model m-c559dee86c0a):
//
//	blind10 first look  P 0.989 R 0.829, ml 0.73 bulk 0.73 crypto 0.91 drug 0.86 prec 0.95
//	        (six rows relabelled to the dev multi-label convention after the first
//	        look; as first written: ml 0.69 bulk 0.71, same overall P/R)
//	        new model only (dev+blind..4,8,9), old rules: P 0.989 R 0.829
//	        after the H25 rules + model:  P 1.000 R 1.000 (tuned on; not an estimate)
var tunedSets = []string{"blind", "blind2", "blind3", "blind4", "blind8", "blind9", "blind10"}

// heldOutSets were written for H17 (blind5-7) and H26 (blind11); until H31
// they were kept out of the model's training data. They are held to floors a
// little under their measured figures, so
// they catch regressions without pretending the issue's targets are met on
// unseen text. Measured at threshold 0.5 (per-category figures are recall):
//
//	set     before H17 (rules + dev-only model)   after H17 (model on dev+blind..4, broad rules, lift 0.6)
//	blind5  P 1.000 R 0.710, ml 0.59 bulk 0.48     P 1.000 R 0.815, ml 0.83 bulk 0.59 crypto 0.59
//	        crypto 0.48 drug 0.88 prec 0.92         drug 0.88 prec 0.92
//	blind6  P 1.000 R 0.711, ml 0.46 bulk 0.56     P 1.000 R 0.818, ml 0.75 bulk 0.67 crypto 0.69
//	        crypto 0.54 drug 0.84 prec 0.96         drug 0.84 prec 0.96
//	blind7  P 1.000 R 0.702, ml 0.48 bulk 0.64     P 0.989 R 0.734, ml 0.59 bulk 0.75 crypto 0.48
//	        crypto 0.37 drug 0.92 prec 1.00         drug 0.92 prec 1.00
//
// blind5 and blind6 were written first and measured before any change, but
// the broad rules' vocabulary was written by the same author with them in
// mind, so their "after" figures are optimistic. blind7 was written after
// the changes and measured once, untouched: its +0.03 recall is the honest
// estimate of the gain on unseen text.
//
// H20 (rules only, model unchanged): blind8 was written and measured first
// (P 0.978 R 0.812; ml 0.72 bulk 0.73 crypto 0.77 drug 0.95 prec 0.91), then
// the rules were extended by wording class and it moved to tunedSets. blind9
// was written after that and measured once before any change:
//
//	blind9  first look  P 0.958 R 0.844, ml 0.72 bulk 0.72 crypto 0.82 drug 0.91 prec 1.00
//	        after four suppressor fixes for its news/warning/advice false alarms (no recall rules):
//	                    P 1.000 R 0.835, ml 0.72 bulk 0.72 crypto 0.86 drug 0.91 prec 1.00
//
// In H25 blind9 was tuned on (rules by wording class, and the model's
// training data) and now meets the issue's floors, so it moved to tunedSets.
//
// H26: blind11 (168 rows, 100 positive, 68 negative; written by an author
// who had not read the rules or the earlier sets' texts) was measured once,
// untouched, with rules rp-e5bc1e7a4db8 and model m-358726650abf:
//
//	blind11 first look  P 0.989 R 0.910 (1 of 68 benign flagged)
//	        recall      ml 0.75 bulk 0.79 crypto 0.95 drug 0.95 prec 0.95
//	        precision   ml 0.91 (2 fp) bulk/crypto/drug/prec 1.00
//
// Its floors sit just under each measured figure, per category too.
//
// H31 (generalisation study, detect/loso_test.go): the model now trains on
// every quality set but blind11 (blind5, blind6 and blind7 joined its data;
// the leave-one-set-out table in rules/README.md is the honest estimate of
// the model on unseen text), with 2^16 buckets, L2 1e-4 and
// testdata/quality/train-extra.jsonl; scoring lifts a touched category at
// p ≥ 0.5 and adds a second label at p ≥ 0.8; the broad rules gained parcel
// runs, blind runs, counting, bill swaps, split deposits, token bills and
// quota splitting. blind5 and blind6 misses were read for wording classes in
// the second broad-rule pass, so they are tuned on; blind7 and blind11 were
// not read. With rules rp-90b4fd924748 and model m-64f683816317:
//
//	blind5   P 1.000 R 0.927, ml 0.97 bulk 1.00 crypto 0.89 drug 0.88 prec 0.92 (model and rules tuned)
//	blind6   P 1.000 R 0.926, ml 0.96 bulk 1.00 crypto 0.85 drug 0.88 prec 0.96 (model and rules tuned)
//	blind7   P 1.000 R 0.839, ml 0.79 bulk 0.79 crypto 0.78 drug 0.92 prec 1.00 (in the model's data; rules not tuned)
//	blind11  P 0.989 R 0.940, ml 0.82 bulk 0.96 crypto 0.95 drug 0.95 prec 0.95 (unseen by model and rules;
//	         its aggregate figures did weigh in choosing the training options and the scoring constants)
//
// None of them reaches the issue's floors (their misses are posts no rule
// touches; the model never flags alone), so each keeps floors just under its
// figures.
// blind12 (212 rows, 132 positive, 80 negative) was written by another
// independent author who read neither the rules nor any earlier set, while
// the generalisation study above was under way, and kept from it. Measured
// once on the pack before that study and once after it, untouched both times:
//
//	blind12, rules rp-e5bc1e7a4db8, model m-358726650abf: P 0.983 R 0.894, ml 0.78 bulk 0.66 crypto 0.89 drug 0.96 prec 1.00
//	blind12, rules rp-90b4fd924748, model m-64f683816317: P 0.984 R 0.939, ml 0.92 bulk 0.88 crypto 0.93 drug 0.96 prec 1.00
//
// (per-category precision: ml_broker 0.81, from exchange-account renting and
// structuring rows its author labelled crypto_cashout or bulk_cash only,
// where the dev README's conventions add ml_broker). After H34's rules
// (rp-6cab7b52cbf9; one blind12 row, q12-0138, was seen in a verbose test
// log during that round):
//
//	blind12, rules rp-6cab7b52cbf9: P 0.985 R 0.970, ml 0.92 bulk 0.94 crypto 1.00 drug 0.96 prec 1.00
//
// Its floors sit just under that line.
//
// H34 (broad rules by mechanism for every category, suppressor literals that
// silenced seller phrases, model unchanged m-64f683816317), rules
// rp-6cab7b52cbf9, measured with the shipped engine (the leave-one-set-out
// figures are in rules/README.md):
//
//	blind5   P 1.000 R 0.952, ml 0.97 bulk 1.00 crypto 0.93 drug 0.92 prec 0.96
//	blind6   P 1.000 R 0.975, ml 0.96 bulk 1.00 crypto 0.96 drug 1.00 prec 0.96
//	blind7   P 1.000 R 0.903, ml 0.86 bulk 0.86 crypto 0.89 drug 0.96 prec 1.00 (rules still not tuned on it)
//	blind11  P 0.990 R 0.950, ml 0.82 bulk 0.96 crypto 0.95 drug 1.00 prec 0.95 (texts of two of its rows were
//	         seen by accident in a verbose test log during H34; no change was kept that those rows drove)
//
// Floors just under these.
// blind13 (211 rows, 129 positive, 82 negative; a third independent author,
// told to bury offers in everyday classifieds, job posts and Moments, with
// Taiwan/Hong Kong Traditional and Central American Spanish) was kept from
// everyone tuning and measured untouched twice:
//
//	blind13, rules rp-90b4fd924748 (before H34): P 0.975 R 0.922, ml 0.85 bulk 0.87 crypto 0.86 drug 0.96 prec 0.96
//	blind13, rules rp-6cab7b52cbf9 (after H34):  P 0.975 R 0.922, ml 0.88 bulk 0.87 crypto 0.86 drug 0.96 prec 0.96
//
// i.e. the second round of broad rules, which raised leave-one-set-out
// recall 0.951 -> 0.966, moved this unseen set by one label. Category
// precision: ml_broker 0.81, bulk_cash 0.93, crypto_cashout 0.89 (extra
// labels on structuring and exchange-account rows, as for blind12).
//
// H38 (rules rp-1d6af8385243, model unchanged): the pack now follows brief.md
// §2's category table, as the blind5-7, blind12 and blind13 authors did:
// structured deposits are bulk_cash only (ml_broker.structuring* moved to
// bulk_cash) and renting or selling exchange accounts is crypto_cashout only
// (ml_broker.exchange_account_rent dropped, the exchange_account suppressor
// on ml_broker's account rules). Overall P/R of every set unchanged; measured
// untouched (aggregates only):
//
//	blind12  ml_broker precision 0.81 -> 0.87, recall 0.92 (unchanged)
//	blind13  ml_broker precision 0.81 -> 0.94, crypto_cashout 0.89 (unchanged), recall unchanged
//	blind11  ml_broker recall 0.82 -> 0.79: one row its author labelled
//	         ml_broker + crypto_cashout fired only ml_broker.exchange_account_rent,
//	         i.e. the older dev convention this change retires; its floor is
//	         lowered to 0.78 for that reason alone (accepted: the brief's table
//	         is what three independent authors followed).
//
// H41 (rules rp-d9625291181c, model unchanged): bulk_cash's swap rules need a
// cash word or an in-person handover, not a give verb next to a currency name
// ("tú me das pesos por transferencia"); courier_run is off crypto trades and
// "Mercado Pago"; the broad coin term has no bare 币 (inside 人民币, 港幣). Overall
// P/R of every set unchanged; untouched sets (aggregates only): blind13
// crypto_cashout precision 0.89 -> 0.92, blind11/12 and the rest of blind13
// unchanged. Floors unchanged (no floor is on category precision).
// blind14 (250 rows, 128 positive, 122 negative) was written last, in the
// dev set's own style and proportions (kind × language, median ~57
// characters, ~37% of positives obfuscated with the dev build's helpers),
// because the set this project is judged on was written for the same
// purpose. Its author read neither the rules nor any quality set. Measured
// untouched on the pack from before the leave-one-set-out study and on the
// final pack:
//
//	blind14, rules rp-e5bc1e7a4db8, model m-358726650abf: P 0.974 R 0.891, ml 0.76 bulk 0.78 crypto 0.85 drug 0.96 prec 0.96
//	blind14, rules rp-d9625291181c, model m-024d551c4efb: P 0.975 R 0.906, ml 0.82 bulk 0.81 crypto 0.92 drug 0.96 prec 0.96
//
//	blind14, rules after H43 (mechanisms described from its misses, text unread): P 0.992 R 0.953, ml 0.89 bulk 0.92 crypto 0.92 drug 0.96 prec 1.00
//
// (its three benign false alarms were warnings about fake M30 pills; H43
// fixed two by class). Floors just under the third line; since H43 it is
// no longer an unseen measurement.
// blind15 (220 rows, 112 positive, 108 negative; another author in the dev
// set's style who saw no other set) was measured untouched before and after
// the round-3 rules (written from blind14's described misses):
//
//	blind15, rules rp-d9625291181c: P 0.981 R 0.920, ml 0.91 bulk 0.75 crypto 0.88 drug 0.96 prec 1.00
//	blind15, rules rp-1b57f579caec: P 0.981 R 0.929, ml 0.94 bulk 0.75 crypto 0.88 drug 0.96 prec 1.00
//	blind15, rules rp-085e7599ab76 (H49, bulk_cash by mechanism, text unread): P 0.981 R 0.938, bulk 0.78
//
// Floors just under the last line.
// blind16 (240 rows, 123 positive, 117 negative; a fifth author in the dev
// set's style who saw no other set and no rule) measured untouched on the
// pack after H49, with the speed rounds of session 3 (identical verdicts):
//
//	blind16, rules rp-085e7599ab76, model m-024d551c4efb: P 0.973 R 0.894, ml 0.86 bulk 0.80 crypto 0.88 drug 0.85 prec 0.96
//
// Its author flagged q16-0071 as probably mislabelled (crypto delivered as
// cash by courier is crypto_cashout and bulk_cash by the dev README; it is
// labelled crypto_cashout only); it is kept as written. The lead read eight
// of its missed rows to check whether normalisation failed (it did not:
// every miss was wording), so later rounds written from its described
// misses make it a tuned set, not an unseen one.
//
//	blind16, rules rp-ca4955e039c9 (H51, its misses described by mechanism, text unread): P 0.992 R 0.984, ml 0.92 bulk 0.86 crypto 0.96 drug 1.00 prec 1.00
//
// Floors just under that line. The same round moved the untouched sets
// (aggregates only): blind13 0.975 / 0.922 -> 0.976 / 0.930 (crypto 0.86 ->
// 0.89), blind15 0.981 / 0.938 -> 0.981 / 0.946 (crypto 0.88 -> 0.92),
// blind11 R 0.960 -> 0.970, blind12 P 0.985 -> 0.992; dev unchanged.
//
// blind17 (240 rows, 122 positive, 118 negative; a sixth author in the dev
// set's style who saw no other set and no rule) measured untouched on the
// pack after round 5 (written from blind16's described misses):
//
//	blind17, rules rp-3f8626938c44, model m-024d551c4efb: P 0.973 R 0.885, ml 0.78 bulk 0.71 crypto 0.96 drug 0.88 prec 1.00
//
// The lead read two missed rows (Cyrillic look-alikes) to check that
// normalisation undid them (it did; the misses are wording). With the
// model-alone path for short posts (score.go) the same pack reads R 0.902.
// H53 wrote rules from its misses described by mechanism (text unread), so
// it is a tuned set from here on:
//
//	blind17, rules rp-3f8626938c44 (session start, model-alone path): P 0.973 R 0.902, ml 0.78 bulk 0.76 crypto 0.96 drug 0.88 prec 1.00
//	blind17, rules rp-e17f71d59c9e (H53, round 6): P 0.982 R 0.918, ml 0.78 bulk 0.76 crypto 1.00 drug 0.92 prec 1.00
//
// Floors just under the second line; the other sets did not move.
//
// blind18 (239 rows, 122 positive, 117 negative; a seventh author in the
// dev set's style who saw no other set and no rule) measured untouched on
// the pack after round 6, with the model-alone path for short posts:
//
//	blind18, rules rp-e17f71d59c9e, model m-024d551c4efb: P 0.991 R 0.885, ml 0.68 bulk 0.84 crypto 0.92 drug 0.92 prec 0.88
//
// The lead read two missed precursor rows to check indicator extraction:
// one CAS number after a full-width comma was not read (fixed in
// indicator/cas.go; the row still needs wording), the other was wording.
// Its easy negative q18-0168 repeated one of blind15 word for word and was
// dropped (unflagged either way). Round 7 (H55) wrote its misses' mechanisms
// as wording classes from descriptions, texts unread:
//
//	blind18, rules rp-8c1036499543 (H55, round 7): P 0.991 R 0.926, ml 0.68 bulk 0.91 crypto 0.96 drug 0.96 prec 0.96
//
// Its one benign false alarm (an anti-drug notice) no longer fires a rule but
// is flagged by the model alone (short post, p ≥ 0.99). Floors just under;
// the same round raised blind11 ml 0.82 -> 0.86, blind14 P 0.992 -> 1.000,
// blind15 ml 0.94 -> 0.97 and blind17 R 0.918 -> 0.926 (bulk 0.76 -> 0.79).
var heldOutSets = map[string]floors{
	"blind18": {precision: 0.98, recall: 0.92, catRecall: 0.66, perCat: map[string]float64{
		"ml_broker": 0.66, "bulk_cash": 0.90, "crypto_cashout": 0.96,
		"drug_sale": 0.95, "precursor_sale": 0.95,
	}},
	"blind17": {precision: 0.97, recall: 0.92, catRecall: 0.77, perCat: map[string]float64{
		"ml_broker": 0.77, "bulk_cash": 0.79, "crypto_cashout": 0.99,
		"drug_sale": 0.92, "precursor_sale": 0.99,
	}},
	"blind16": {precision: 0.98, recall: 0.98, catRecall: 0.85, perCat: map[string]float64{
		"ml_broker": 0.91, "bulk_cash": 0.85, "crypto_cashout": 0.95,
		"drug_sale": 0.99, "precursor_sale": 0.99,
	}},
	"blind5": {precision: 0.95, recall: 0.94, catRecall: 0.90},
	"blind6": {precision: 0.95, recall: 0.96, catRecall: 0.94},
	"blind7": {precision: 0.95, recall: 0.89, catRecall: 0.85},
	"blind11": {precision: 0.98, recall: 0.95, catRecall: 0.80, perCat: map[string]float64{
		"ml_broker": 0.85, "bulk_cash": 0.95, "crypto_cashout": 0.95,
		"drug_sale": 0.99, "precursor_sale": 0.95,
	}},
	"blind15": {precision: 0.97, recall: 0.93, catRecall: 0.74, perCat: map[string]float64{
		"ml_broker": 0.96, "bulk_cash": 0.77, "crypto_cashout": 0.87,
		"drug_sale": 0.95, "precursor_sale": 0.99,
	}},
	"blind14": {precision: 0.99, recall: 0.95, catRecall: 0.80, perCat: map[string]float64{
		"ml_broker": 0.88, "bulk_cash": 0.91, "crypto_cashout": 0.92,
		"drug_sale": 0.96, "precursor_sale": 0.99,
	}},
	"blind13": {precision: 0.97, recall: 0.92, catRecall: 0.85, perCat: map[string]float64{
		"ml_broker": 0.87, "bulk_cash": 0.87, "crypto_cashout": 0.85,
		"drug_sale": 0.96, "precursor_sale": 0.96,
	}},
	"blind12": {precision: 0.98, recall: 0.96, catRecall: 0.91, perCat: map[string]float64{
		"ml_broker": 0.91, "bulk_cash": 0.93, "crypto_cashout": 0.99,
		"drug_sale": 0.96, "precursor_sale": 0.99,
	}},
}

// floors are the minimum figures a set must reach. perCat, when it names a
// category, replaces catRecall for that category's recall.
type floors struct {
	precision, recall, catRecall float64
	perCat                       map[string]float64
}

// issueFloors are the issue's targets, applied to the dev and tuned sets.
var issueFloors = floors{precision: minPrecision, recall: minRecall, catRecall: minCatRecall}

// readLabelledFile reads a JSON Lines file of Labelled rows.
func readLabelledFile(t *testing.T, path string) []Labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		rows = append(rows, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// qualitySet reads testdata/quality/NAME.jsonl.
func qualitySet(t *testing.T, name string) []Labelled {
	t.Helper()
	return readLabelledFile(t, filepath.Join("testdata", "quality", name+".jsonl"))
}

func qualityRows(t *testing.T) []Labelled {
	t.Helper()
	var rows []Labelled
	for _, f := range qualitySetFiles(t) {
		rows = append(rows, readLabelledFile(t, f)...)
	}
	return rows
}

// assertQuality scans rows with the default engine, logs the report and
// fails below the floors f. For a held-out set the log leaves out the
// misses and false alarms: a failing floor must not show its texts to
// whoever is tuning the rules, or the set stops being held out.
func assertQuality(t *testing.T, name string, rows []Labelled, f floors, heldOut bool) {
	t.Helper()
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]Verdict, len(rows))
	for i, r := range rows {
		pred[i] = e.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang})
	}
	rep := Evaluate(rows, pred)
	rep.Threshold = e.Threshold()
	shown := rep
	if heldOut {
		shown.Misses, shown.FalseAlarms = nil, nil
	}
	var b strings.Builder
	if err := shown.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s:\n%s", name, b.String())
	if rep.Overall.Precision < f.precision {
		t.Errorf("%s: overall precision %.3f < %.2f", name, rep.Overall.Precision, f.precision)
	}
	if rep.Overall.Recall < f.recall {
		t.Errorf("%s: overall recall %.3f < %.2f", name, rep.Overall.Recall, f.recall)
	}
	for _, c := range rep.Categories {
		floor := f.catRecall
		if v, ok := f.perCat[c.Category]; ok {
			floor = v
		}
		if c.Recall < floor {
			t.Errorf("%s: %s recall %.3f < %.2f", name, c.Category, c.Recall, floor)
		}
	}
}

func TestQualityDevSet(t *testing.T) {
	assertQuality(t, "dev set", loadDev(t), issueFloors, false)
}

func TestQualityIndependentSets(t *testing.T) {
	var rows []Labelled
	for _, name := range tunedSets {
		rows = append(rows, qualitySet(t, name)...)
	}
	assertQuality(t, "tuned quality sets", rows, issueFloors, false)
}

func TestQualityHeldOutSets(t *testing.T) {
	for name, f := range heldOutSets {
		assertQuality(t, name+" (held out)", qualitySet(t, name), f, true)
	}
}

// TestQualitySetsAreAllAccountedFor keeps every file under testdata/quality
// in exactly one of the two lists, so a new set cannot be silently skipped.
func TestQualitySetsAreAllAccountedFor(t *testing.T) {
	for _, f := range qualitySetFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		_, held := heldOutSets[name]
		if tuned := slices.Contains(tunedSets, name); tuned == held {
			t.Errorf("%s: in tunedSets %t, in heldOutSets %t; want exactly one", name, tuned, held)
		}
	}
}

// TestQualitySetsAreWellFormed keeps the quality sets useful as a yardstick:
// enough rows, every category and language represented, labels valid and in
// canonical order, no duplicate ids or texts.
func TestQualitySetsAreWellFormed(t *testing.T) {
	rows := qualityRows(t)
	if len(rows) < 300 {
		t.Errorf("%d rows; want at least 300", len(rows))
	}
	ids, texts := map[string]bool{}, map[string]bool{}
	perCat := map[string]int{}
	posLang := map[string]int{}
	benign := 0
	for _, r := range rows {
		if r.ID == "" || ids[r.ID] {
			t.Errorf("missing or duplicate id %q", r.ID)
		}
		if texts[r.Text] {
			t.Errorf("%s: duplicate text", r.ID)
		}
		ids[r.ID], texts[r.Text] = true, true
		if !slices.Contains([]string{"zh-Hans", "zh-Hant", "es", "en", "mixed"}, r.Lang) {
			t.Errorf("%s: lang %q", r.ID, r.Lang)
		}
		last := -1
		for _, l := range r.Labels {
			i := slices.Index(Categories, l)
			if i <= last {
				t.Errorf("%s: label %q unknown, repeated or out of canonical order", r.ID, l)
			}
			last = i
			perCat[l]++
		}
		if len(r.Labels) == 0 {
			benign++
		} else {
			posLang[r.Lang]++
		}
	}
	for _, c := range Categories {
		if perCat[c] < 40 {
			t.Errorf("%s: %d positives; want at least 40", c, perCat[c])
		}
	}
	for _, l := range []string{"zh-Hans", "zh-Hant", "es", "en", "mixed"} {
		if posLang[l] < 10 {
			t.Errorf("%s: %d positive rows; want at least 10", l, posLang[l])
		}
	}
	if benign < 120 {
		t.Errorf("%d negative rows; want at least 120", benign)
	}
}

// TestBillCounterIsNotCashCounting is the demo false alarm: buying a bill
// counter and paying cash for it is not a counting job, while paid help to
// count and seal cash is.
func TestBillCounterIsNotCashCounting(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"Anyone selling a used bill counter? Need it for the shop, paying cash",
		"Need a bill counter, paying cash",
		"Vendo máquina contadora de billetes, poco uso, ideal para negocio",
	} {
		if v := e.Scan(Post{Text: s}); v.Flagged {
			t.Errorf("flagged %v: %q", v.Categories, s)
		}
	}
	for _, s := range []string{
		"Paying two people to count and vacuum seal cash tonight",
		"招人晚上帮忙数钱打包，日结",
	} {
		if v := e.Scan(Post{Text: s}); !slices.Contains(v.Categories, "bulk_cash") {
			t.Errorf("not bulk_cash (%v): %q", v.Categories, s)
		}
	}
}

// TestSuppressorsDoNotSilenceTheirRules guards against a suppressor literal
// that also sits inside a literal of a rule that lists the suppressor: the
// rule could then never fire on that literal. H34 found four (news_report's
// 查扣 inside the seller phrase 查扣补发 "reship if seized", licensed_channel's
// 须实名 inside 无须实名, legit_trade's "receipts" inside "no receipts",
// everyday_cash's 支票 inside 赌场支票).
func TestSuppressorsDoNotSilenceTheirRules(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	p := e.Pack()
	sup := map[string][]string{}
	for _, s := range p.Suppressors {
		for _, l := range s.Any {
			sup[s.ID] = append(sup[s.ID], normalize.Fold(l))
		}
	}
	var expand func(ls []string) []string
	expand = func(ls []string) []string {
		var out []string
		for _, l := range ls {
			if ts, ok := p.Terms[strings.TrimPrefix(l, "$")]; ok && strings.HasPrefix(l, "$") {
				out = append(out, expand(ts)...)
				continue
			}
			out = append(out, normalize.Fold(l))
		}
		return out
	}
	for _, r := range p.Rules {
		var lits []string
		for _, g := range r.All {
			lits = append(lits, expand(g)...)
		}
		for _, id := range r.Unless {
			for _, s := range sup[id] {
				for _, l := range lits {
					if l != s && containsLiteral(l, strings.Trim(s, "*")) {
						t.Errorf("%s: suppressor %s literal %q sits inside the rule's literal %q", r.ID, id, s, l)
					}
				}
			}
		}
	}
}

// containsLiteral reports whether sub occurs in s the way the engine matches
// it: anywhere when it contains Han, else as whole words.
func containsLiteral(s, sub string) bool {
	if sub == "" {
		return false
	}
	han := strings.IndexFunc(sub, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		j += i
		if han {
			return true
		}
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		after, _ := utf8.DecodeRuneInString(s[j+len(sub):])
		word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
		if (j == 0 || !word(before)) && (j+len(sub) == len(s) || !word(after)) {
			return true
		}
		i = j + 1
	}
}
