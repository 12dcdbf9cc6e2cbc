package indicator

// markers are the context words the pre-scan looks for. They are data: add a spelling here and
// every extractor that uses the kind sees it. Latin entries match ASCII-case-insensitively and
// at word boundaries; CJK entries match anywhere.
var markers = []struct {
	kind  kwKind
	texts []string
}{
	{kwWeChat, []string{
		"加V", "+V", "➕V", "加VX", "加微", "加微信", "加微信号", "加薇", "微信", "微信号", "微信號", "微", "薇", "威信", "V信",
		"wechat", "wechat id", "wechat ID", "weixin", "weixin id",
	}},
	{kwWeChatWeak, []string{"V:", "V：", "VX", "wx", "vx:", "wx:"}},
	{kwTelegram, []string{
		"TG", "Telegram", "飞机", "飛機", "纸飞机", "紙飛機", "电报", "電報", "telegram id", "tg id",
	}},
	{kwTMe, []string{"t.me/", "telegram.me/", "telegram.dog/"}},
	{kwWhatsApp | kwPhoneCtx, []string{"WhatsApp", "WA", "whats", "wsp", "wasap", "watsap", "whatsapp"}},
	{kwHandleOther, []string{"Signal", "sig", "IG", "Instagram", "insta", "snap", "Snapchat", "Wickr", "Threema", "Session", "Discord", "LINE", "加賴", "加赖"}},
	{kwPhoneCtx, []string{
		"tel", "tel.", "teléfono", "telefono", "phone", "call", "text", "txt", "cell", "cel",
		"celular", "llama", "llámanos", "llamanos", "mobile", "hotline", "contact", "contacto",
		"电话", "電話", "手机", "手機", "联系", "聯繫", "联系电话", "电联", "電聯", "致电", "热线",
		"熱線", "hmu", "电话号码", "電話號碼", "手机号", "手機號", "手机号码", "手機號碼", "号码", "號碼",
		"número", "numero", "cel.",
	}},
	{kwCardCtx, []string{
		"卡号", "卡號", "银行卡", "銀行卡", "card", "card no", "card number", "tarjeta",
		"debit card", "credit card", "储蓄卡", "信用卡",
	}},
	{kwRate, []string{
		"汇率", "匯率", "rate", "exchange rate", "tipo de cambio", "tasa de cambio", "tasa",
		"点位", "點位", "价位", "價位",
	}},
	{kwRateAn, []string{"按", "按照"}},
	{kwCommission, []string{
		"点位", "點位", "手续费", "手續費", "佣金", "费率", "費率", "抽成", "返点", "返點", "提成",
		"commission", "comisión", "comision", "keep", "fee", "fees", "cut", "cobro", "cobramos",
		"charge", "charges", "收费", "收費", "pagamos", "ganas", "ganancia", "earn", "earns",
		"por cada", "per deposit", "per drop", "per run", "每笔", "每筆", "每单", "每單",
		"under spot", "below spot", "discount", "descuento",
	}},
	{kwDotWord, []string{"dot"}},
	{kwCASCtx, []string{"CAS", "CAS号", "CAS號", "CAS No", "CAS No."}},
	{kwOrderCtx, []string{
		"订单", "訂單", "订单号", "訂單號", "单号", "單號", "运单", "運單", "order", "order no",
		"pedido", "folio", "tracking", "invoice", "factura", "No.", "ref", "ID", "编号", "編號",
	}},
}
