package indicator

import "testing"

func TestExtractEmail(t *testing.T) {
	runCases(t, []tcase{
		{text: "邮箱 fx.desk.cn@example.com", want: []want{{Email, "fx.desk.cn@example.com", "fx.desk.cn@example.com", true, ""}}},
		{text: "mail Sales.Team@Example.ORG.", want: []want{{Email, "Sales.Team@Example.ORG", "sales.team@example.org", true, ""}}},
		{text: "contact ventas (at) example.net please", want: []want{{Email, "ventas (at) example.net", "ventas@example.net", true, ""}}},
		{text: "write to ventas[at]example[dot]com", want: []want{{Email, "ventas[at]example[dot]com", "ventas@example.com", true, ""}}},
		{text: "correo: chem.latam @ example.com", want: []want{{Email, "chem.latam @ example.com", "chem.latam@example.com", true, ""}}},
		{text: "邮箱 fen.sales＠example.com", want: []want{{Email, "fen.sales＠example.com", "fen.sales@example.com", true, ""}}},
		{text: "write {at} x: bob{at}example.com", want: []want{{Email, "bob{at}example.com", "bob@example.com", true, ""}}},
		{text: "mail ventas (at) example (dot) com pls", want: []want{{Email, "ventas (at) example (dot) com", "ventas@example.com", true, ""}}},
		{text: "write fx.desk at example dot com today", want: []want{{Email, "fx.desk at example dot com", "fx.desk@example.com", true, ""}}},
		{text: "meet me at example.com, the dot is red", only: Email},
		{text: "mail: a_b+tag@mail.example.co.uk", want: []want{{Email, "a_b+tag@mail.example.co.uk", "a_b+tag@mail.example.co.uk", true, ""}}},
		// Look-alikes: malformed but clearly meant as an address.
		{text: "mail bad..dots@example.com", want: []want{{Email, "bad..dots@example.com", "bad..dots@example.com", false, "malformed"}}},
		{text: "mail x@example.c0m", want: []want{{Email, "x@example.c0m", "x@example.c0m", false, "malformed"}}},
		{text: "mail x@-example.com", want: []want{{Email, "x@-example.com", "x@-example.com", false, "malformed"}}},
		// Not e-mails.
		{text: "Telegram @otc_noquestions", only: Email},
		{text: "meet me @ 5pm at the mall", only: Email},
		{text: "user@localhost", only: Email},
		{text: "2 bags @ 3.50 each", only: Email},
	})
}

func TestExtractTelegramAndHandles(t *testing.T) {
	en := Options{Lang: "en"}
	zh := Options{Lang: "zh-Hans"}
	runCases(t, []tcase{
		{text: "Telegram @otc_noquestions", opt: en, want: []want{{Telegram, "@otc_noquestions", "otc_noquestions", true, "platform: telegram"}}},
		{text: "TG：@meijin_rmb_88", opt: zh, want: []want{{Telegram, "@meijin_rmb_88", "meijin_rmb_88", true, "platform: telegram"}}},
		{text: "TG:@meijin_rmb_88", opt: zh, want: []want{{Telegram, "@meijin_rmb_88", "meijin_rmb_88", true, "platform: telegram"}}},
		{text: "飞机 @Fen_Tai_Ni", opt: zh, want: []want{{Telegram, "@Fen_Tai_Ni", "fen_tai_ni", true, "platform: telegram"}}},
		{text: "飞机号：chem_line88", opt: zh, want: []want{{Telegram, "chem_line88", "chem_line88", true, "platform: telegram"}}},
		{text: "纸飞机: chem_line88", opt: zh, want: []want{{Telegram, "chem_line88", "chem_line88", true, "platform: telegram"}}},
		{text: "mándanos mensaje a t.me/lana_asia_mx", opt: Options{Lang: "es"}, want: []want{{Telegram, "t.me/lana_asia_mx", "lana_asia_mx", true, "t.me link"}}},
		{text: "join https://t.me/usdt_otc_desk now", opt: en, want: []want{{Telegram, "t.me/usdt_otc_desk", "usdt_otc_desk", true, "t.me link"}}},
		// Bare @name: Telegram in a Chinese post, a handle elsewhere.
		{text: "收U联系 @ushang_24h", opt: zh, want: []want{{Telegram, "@ushang_24h", "ushang_24h", true, "platform assumed from script"}}},
		{text: "New runners DM @runnerdesk_ny", opt: en, want: []want{{Handle, "@runnerdesk_ny", "runnerdesk_ny", true, "platform: unknown"}}},
		{text: "hmu on sig @quietfx", opt: en, want: []want{{Handle, "@quietfx", "quietfx", true, "platform: signal"}}},
		// Look-alikes: names that break Telegram's rules are reported invalid.
		{text: "TG @abc", opt: en, want: []want{{Telegram, "@abc", "abc", false, ""}}},
		{text: "TG @1abcdef", opt: en, want: []want{{Telegram, "@1abcdef", "1abcdef", false, ""}}},
		{text: "TG @" + "a123456789012345678901234567890123", opt: en, want: []want{{Telegram, "@a123456789012345678901234567890123", "a123456789012345678901234567890123", false, ""}}},
		// Prose after a marker is not a name; e-mails are not handles.
		{text: "our Telegram channel is great", opt: en},
		{text: "mail ventas@example.com", opt: en, only: Telegram},
		{text: "price @ 5 each", opt: en},
	})
}

func TestExtractWeChat(t *testing.T) {
	zh := Options{Lang: "zh-Hans"}
	runCases(t, []tcase{
		{text: "加V：hx_la2024", opt: zh, want: []want{{WeChatID, "hx_la2024", "hx_la2024", true, "marker: 加V"}}},
		{text: "加v hx_la2024", opt: zh, want: []want{{WeChatID, "hx_la2024", "hx_la2024", true, "marker: 加v"}}},
		{text: "➕V hxdsh_zz01", opt: zh, want: []want{{WeChatID, "hxdsh_zz01", "hxdsh_zz01", true, "marker: ➕V"}}},
		{text: "+V: abc-123x", opt: zh, want: []want{{WeChatID, "abc-123x", "abc-123x", true, "marker: +V"}}},
		{text: "当面交接，V:dollar_cn77", opt: zh, want: []want{{WeChatID, "dollar_cn77", "dollar_cn77", true, "marker: V:"}}},
		{text: "微信hxla2024详谈", opt: zh, want: []want{{WeChatID, "hxla2024", "hxla2024", true, "marker: 微信"}}},
		{text: "薇 Money_88", opt: zh, want: []want{{WeChatID, "Money_88", "money_88", true, "marker: 薇"}}},
		{text: "威信: fx_888888", opt: zh, want: []want{{WeChatID, "fx_888888", "fx_888888", true, "marker: 威信"}}},
		{text: "加微信：wxid_abc123 详聊", opt: zh, want: []want{{WeChatID, "wxid_abc123", "wxid_abc123", true, "marker: 加微信"}}},
		{text: "VX fxdesk_la", opt: zh, want: []want{{WeChatID, "fxdesk_la", "fxdesk_la", true, "marker: VX"}}},
		{text: "wx: cash_la01", opt: Options{Lang: "en"}, want: []want{{WeChatID, "cash_la01", "cash_la01", true, "marker: wx"}}},
		{text: "WeChat: usdcash2024", opt: Options{Lang: "en"}, want: []want{{WeChatID, "usdcash2024", "usdcash2024", true, "marker: WeChat"}}},
		// Look-alikes: wrong length after a marker.
		{text: "加V：abcd", opt: zh, want: []want{{WeChatID, "abcd", "abcd", false, "6–20"}}},
		{text: "加V：a1234567890123456789012", opt: zh, want: []want{{WeChatID, "a1234567890123456789012", "a1234567890123456789012", false, "6–20"}}},
		// No marker, no guess; a marker before digits is left to the phone extractor.
		{text: "hx_la2024 现金", opt: zh},
		{text: "Part V: Conclusion", opt: Options{Lang: "en"}},
		{text: "微笑 hello world", opt: zh, only: WeChatID},
		{text: "加V 13123456789", opt: zh, only: WeChatID},
		{text: "VXhx_la2024", opt: zh},
	})
}
