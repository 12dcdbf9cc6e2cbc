// Package demo generates a deterministic synthetic platform — accounts,
// logins, groups and public posts in four scripts, with a few hundred illicit
// ads posted by clusters of accounts that share contact details — so that
// Vigil can be tried and tested without any real user's data.
//
// Every phone number is in the US 555-01xx range reserved for fiction, every
// IP address in the documentation ranges (RFC 5737, RFC 3849), every e-mail
// on example.com/.net/.org, and every wallet address is random bytes with a
// valid checksum that nobody holds a key for.
package demo

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"time"

	"vigil/platform"
)

// Options sizes the demo platform. The zero value means the defaults.
type Options struct {
	Accounts     int    // default 10,000
	PostsPerUser int    // average public posts per account, default 10
	Seed         uint64 // default 1
}

// Post is a content item with the labels the generator intended, so the
// demo can show detection quality against a known truth.
type Post struct {
	platform.ContentItem
	Lang   string
	Labels []string
}

// Platform is the generated data set.
type Platform struct {
	Accounts []platform.Account
	Logins   []platform.Login
	Groups   []platform.Group
	Posts    []Post
}

// Epoch is the fixed "now" of the demo world, so output never depends on
// the wall clock.
var Epoch = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

var surfaces = []string{platform.SurfaceMoments, platform.SurfaceChannels, platform.SurfaceGroupChat, platform.SurfaceOfficialAccount, platform.SurfaceProfile}

// Generate builds the platform for opt. The same options always give the
// same platform, byte for byte.
func Generate(opt Options) *Platform {
	if opt.Accounts <= 0 {
		opt.Accounts = 10000
	}
	if opt.PostsPerUser <= 0 {
		opt.PostsPerUser = 10
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	p := &Platform{}
	p.Accounts = make([]platform.Account, opt.Accounts)
	for i := range p.Accounts {
		p.Accounts[i] = account(r, i)
	}
	for i := range p.Accounts {
		for n := r.IntN(5) + 1; n > 0; n-- {
			p.Logins = append(p.Logins, login(r, &p.Accounts[i], len(p.Logins)))
		}
	}
	nGroups := max(opt.Accounts/20, 1)
	for i := 0; i < nGroups; i++ {
		p.Groups = append(p.Groups, group(r, i))
	}

	// Illicit clusters: 3–6 accounts sharing one set of contacts, about one
	// illicit ad per 330 posts overall (a few hundred in the default demo).
	nPosts := opt.Accounts * opt.PostsPerUser
	nIllicit := max(nPosts/330, len(illicit))
	nClusters := max(nIllicit/8, 1)
	type cluster struct {
		members []int
		c       contacts
	}
	clusters := make([]cluster, nClusters)
	for i := range clusters {
		size := 3 + r.IntN(4)
		for j := 0; j < size; j++ {
			clusters[i].members = append(clusters[i].members, r.IntN(opt.Accounts))
		}
		clusters[i].c = clusterContacts(r, i)
	}
	for i := 0; i < nPosts; i++ {
		var t template
		var author int
		var c contacts
		if i%(nPosts/nIllicit) == 0 {
			// Every template is used in turn so all categories and languages appear.
			t = illicit[(i/(nPosts/nIllicit))%len(illicit)]
			cl := clusters[r.IntN(len(clusters))]
			author, c = cl.members[r.IntN(len(cl.members))], cl.c
		} else {
			t = benign[r.IntN(len(benign))]
			author = r.IntN(opt.Accounts)
		}
		p.Posts = append(p.Posts, post(r, i, t, fill(r, t, c), &p.Accounts[author], p.Groups))
	}
	return p
}

func account(r *rand.Rand, i int) platform.Account {
	a := platform.Account{
		ID:             fmt.Sprintf("acct-%06d", i+1),
		WeChatID:       fmt.Sprintf("%s_%d", handles[r.IntN(len(handles))], 1000+i),
		App:            platform.AppWeChat,
		Status:         platform.StatusActive,
		RegisteredAt:   Epoch.Add(-time.Duration(30+r.IntN(3650)) * 24 * time.Hour).Add(time.Duration(r.IntN(86400)) * time.Second),
		RegistrationIP: docIP(r),
	}
	switch x := r.IntN(100); {
	case x < 3: // Weixin: the mainland-China service
		a.App, a.Region = platform.AppWeixin, "CN"
	case x < 63:
		a.Region = "US"
	case x < 78:
		a.Region = "MX"
	case x < 88:
		a.Region = "HK"
	case x < 95:
		a.Region = "TW"
	default:
		a.Region = "CA"
	}
	a.DisplayName = names[r.IntN(len(names))]
	if r.IntN(10) < 8 {
		a.Phone = fictionalPhone(r)
	}
	if r.IntN(10) < 4 {
		a.Email = fmt.Sprintf("%s@example.%s", a.WeChatID, []string{"com", "net", "org"}[r.IntN(3)])
	}
	switch x := r.IntN(100); {
	case x < 2:
		a.Status = platform.StatusSuspended
	case x < 3:
		a.Status = platform.StatusDeleted
	}
	return a
}

func login(r *rand.Rand, a *platform.Account, n int) platform.Login {
	return platform.Login{
		ID:         fmt.Sprintf("login-%07d", n+1),
		AccountID:  a.ID,
		At:         Epoch.Add(-time.Duration(r.IntN(90*24*3600)) * time.Second),
		IP:         docIP(r),
		DeviceID:   fmt.Sprintf("dev-%08x", r.Uint32()),
		AppVersion: fmt.Sprintf("8.0.%d", 40+r.IntN(12)),
	}
}

func group(r *rand.Rand, i int) platform.Group {
	join := platform.JoinPublicQR
	if r.IntN(3) == 0 {
		join = platform.JoinInvite
	}
	return platform.Group{
		ID:          fmt.Sprintf("grp-%05d", i+1),
		Name:        groupNames[i%len(groupNames)] + fmt.Sprintf(" %d", i/len(groupNames)+1),
		MemberCount: int64(3 + r.IntN(497)),
		JoinMethod:  join,
	}
}

func post(r *rand.Rand, i int, t template, text string, a *platform.Account, groups []platform.Group) Post {
	surface := surfaces[r.IntN(len(surfaces))]
	vis := platform.VisibilityPublic
	if surface == platform.SurfaceMoments || surface == platform.SurfaceGroupChat {
		vis = platform.VisibilitySemiPublic
	}
	it := platform.ContentItem{
		ID:         fmt.Sprintf("post-%07d", i+1),
		AuthorID:   a.ID,
		Surface:    surface,
		Visibility: vis,
		Text:       text,
		CreatedAt:  Epoch.Add(-time.Duration(r.IntN(60*24*3600)) * time.Second),
	}
	if surface == platform.SurfaceGroupChat {
		it.GroupID = groups[r.IntN(len(groups))].ID
	}
	return Post{ContentItem: it, Lang: t.lang, Labels: t.labels}
}

// fictionalPhone draws from the US 555-0100…555-0199 range reserved for
// fiction, in many area codes.
func fictionalPhone(r *rand.Rand) string {
	area := areaCodes[r.IntN(len(areaCodes))]
	return fmt.Sprintf("+1%d5550%03d", area, 100+r.IntN(100))
}

// docIP returns an address from the documentation ranges (RFC 5737 / 3849).
func docIP(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("192.0.2.%d", 1+r.IntN(254))
	case 1:
		return fmt.Sprintf("198.51.100.%d", 1+r.IntN(254))
	case 2:
		return fmt.Sprintf("203.0.113.%d", 1+r.IntN(254))
	default:
		return fmt.Sprintf("2001:db8::%x", 1+r.IntN(0xfffe))
	}
}

func clusterContacts(r *rand.Rand, i int) contacts {
	return contacts{
		phone:  fictionalPhone(r),
		wechat: fmt.Sprintf("%s%02d", []string{"huilv", "dollar", "kuaihuan", "usdtcash", "xiaolan"}[i%5], i),
		tg:     fmt.Sprintf("%s_%d", []string{"fastswap", "otcdesk", "chemsupply", "bluesplug", "cashrun"}[i%5], 100+i),
		tron:   tronAddress(r),
		email:  fmt.Sprintf("sales%d@example.org", i),
	}
}

// tronAddress is a base58check string with TRON's version byte 0x41 over
// random bytes: checksum-valid, but no key exists for it.
func tronAddress(r *rand.Rand) string {
	payload := make([]byte, 21, 25)
	payload[0] = 0x41
	for i := 1; i < 21; i++ {
		payload[i] = byte(r.UintN(256))
	}
	h1 := sha256.Sum256(payload)
	h2 := sha256.Sum256(h1[:])
	return base58(append(payload, h2[:4]...))
}

const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58(b []byte) string {
	digits := []byte{0}
	for _, c := range b {
		carry := int(c)
		for j := range digits {
			carry += int(digits[j]) << 8
			digits[j] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := []byte{}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		if i == len(digits)-1 && digits[i] == 0 && len(digits) > 1 {
			continue
		}
		out = append(out, b58[digits[i]])
	}
	return string(out)
}

var areaCodes = []int{201, 202, 212, 213, 214, 305, 312, 323, 347, 404, 415, 425, 469, 480, 512, 602, 617, 626, 646, 702, 713, 718, 773, 786, 818, 832, 917, 949}

var handles = []string{"lily", "wei", "maria", "jose", "kevin", "xiaoming", "carlos", "anna", "chen", "lucia", "david", "meimei", "juan", "sophia", "hao", "diego"}

var names = []string{"Lily Wang", "王伟", "María López", "José Hernández", "Kevin Li", "小明", "Carlos Ruiz", "Anna Chen", "陳志明", "Lucía Gómez", "David Zhang", "美美", "Juan Pérez", "Sophia Liu", "林浩", "Diego Torres"}

var groupNames = []string{"LA Foodies", "纽约华人互助群", "Mamás de Houston", "Chicago Runners", "湾区租房信息", "Comunidad Tijuana", "Crypto Talk", "留学生交流", "Garage Sales Atlanta", "Phoenix Hiking"}
