package platform

import (
	"strings"
	"time"
)

// Surfaces where public or semi-public content appears.
const (
	SurfaceMoments         = "moments"
	SurfaceChannels        = "channels"
	SurfaceGroupChat       = "group_chat"
	SurfaceOfficialAccount = "official_account"
	SurfaceProfile         = "profile"
)

// Visibilities Vigil accepts. There is deliberately no "private": private
// content is refused at the door and never stored or published.
const (
	VisibilityPublic     = "public"
	VisibilitySemiPublic = "semi_public"
)

// ContentItem is one public or semi-public post. Content is immutable: the
// first version stored under an id is the one Vigil keeps.
type ContentItem struct {
	ID         string    `json:"id"`
	AuthorID   string    `json:"author_id"`
	Surface    string    `json:"surface"`
	Visibility string    `json:"visibility"`
	GroupID    string    `json:"group_id,omitempty"`
	Text       string    `json:"text"`
	Media      []string  `json:"media,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks every field of c, naming each bad field and its fix, and
// normalises c in place. Anything that is not public or semi-public is
// refused, and group chat content must name its (public or semi-public)
// group; whether that group is known is the caller's check, since it needs
// the directory.
func (c *ContentItem) Validate(now time.Time) error {
	var p problems
	checkID(&p, "id", c.ID, true)
	checkID(&p, "author_id", c.AuthorID, true)
	checkEnum(&p, "surface", &c.Surface, SurfaceMoments, SurfaceChannels, SurfaceGroupChat, SurfaceOfficialAccount, SurfaceProfile)
	c.Visibility = strings.ToLower(strings.TrimSpace(c.Visibility))
	switch c.Visibility {
	case VisibilityPublic, VisibilitySemiPublic:
	case "private":
		p.add("visibility", "private content is out of scope and is never stored: send only public or semi_public content")
	case "":
		p.add("visibility", "is required: use public or semi_public (private content is never accepted)")
	default:
		p.add("visibility", "%q is not allowed: use public or semi_public (private content is never accepted)", c.Visibility)
	}
	switch {
	case c.Surface == SurfaceGroupChat && c.GroupID == "":
		p.add("group_id", "is required for surface group_chat: send the id of the public or semi-public group the message was posted in")
	case c.Surface != SurfaceGroupChat && c.GroupID != "" && c.Surface != "":
		p.add("group_id", "is only for surface group_chat: leave it empty for %s", c.Surface)
	default:
		checkID(&p, "group_id", c.GroupID, false)
	}
	if len(c.Text) > MaxTextBytes {
		p.add("text", "is %d bytes; at most %d are allowed", len(c.Text), MaxTextBytes)
	} else {
		checkText(&p, "text", c.Text)
	}
	if len(c.Media) > MaxMediaRefs {
		p.add("media", "has %d references; at most %d are allowed per item", len(c.Media), MaxMediaRefs)
	}
	for i, m := range c.Media {
		if m = strings.TrimSpace(m); m == "" || len(m) > MaxMediaRefLen || strings.IndexFunc(m, isSpaceOrControl) >= 0 {
			p.add("media", "reference %d must be a non-empty URI or media id of at most %d characters without spaces", i, MaxMediaRefLen)
			break
		}
		c.Media[i] = m
	}
	if strings.TrimSpace(c.Text) == "" && len(c.Media) == 0 {
		p.add("text", "is empty and there is no media: send the post's text or its media references")
	}
	checkTime(&p, "created_at", &c.CreatedAt, now)
	return p.err()
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }
