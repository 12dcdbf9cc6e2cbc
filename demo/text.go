package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Post texts are assembled from templates with slots so that the demo has
// variety without copying any real post or the development set. Illicit ads
// are a small minority, as on a real platform; each carries the labels the
// generator meant, so the demo can also show detection quality.

type template struct {
	lang   string
	labels []string
	text   string
}

var benign = []template{
	{"zh-Hans", nil, "今天在{city_zh}的夜市吃了烤串，{n}块钱一串，太香了"},
	{"zh-Hans", nil, "周末带孩子去{city_zh}的图书馆，借了{n}本绘本"},
	{"zh-Hans", nil, "有没有人推荐{city_zh}附近好吃的川菜馆？人均{n}左右"},
	{"zh-Hans", nil, "银行提醒：个人每年购汇额度五万美元，请通过正规渠道办理，谨防对敲换汇诈骗"},
	{"zh-Hans", nil, "孩子的学费已经通过银行电汇付了，手续费{n}元，记录一下"},
	{"zh-Hans", nil, "新闻：警方在{city_zh}破获一起洗钱案，提醒大家不要出租银行卡"},
	{"zh-Hans", nil, "代购面霜到了，海关申报已交税，需要的朋友私聊"},
	{"zh-Hans", nil, "今天{city_zh}下雪了❄️，路上注意安全"},
	{"zh-Hant", nil, "週末在{city_zh}的咖啡店看書，拿鐵{n}塊"},
	{"zh-Hant", nil, "請問大家報稅用什麼軟體？今年第一次自己報"},
	{"zh-Hant", nil, "藥局提醒：止痛藥請依醫師處方使用，切勿自行加量"},
	{"es", nil, "Hoy hicimos tamales en casa, salieron {n} y no quedó ninguno"},
	{"es", nil, "¿Alguien sabe a qué hora abre el consulado en {city_en}? Necesito renovar mi pasaporte"},
	{"es", nil, "Venta de garage este sábado en {city_en}, todo en efectivo, precios bajos"},
	{"es", nil, "Noticia: detienen en {city_en} a red de lavado de dinero; la policía pide denunciar"},
	{"es", nil, "El centro de salud reparte naloxona y tiras reactivas de fentanilo gratis, sin preguntas"},
	{"es", nil, "Atasco en la M-30 otra vez, llegué {n} minutos tarde al trabajo"},
	{"en", nil, "Finally tried the new ramen place in {city_en}, {n} dollars well spent"},
	{"en", nil, "Our church is collecting coin jars for the food bank this Saturday, cash pickup at 10am"},
	{"en", nil, "Anyone selling a used bill counter? Need it for the shop, paying cash"},
	{"en", nil, "Pharmacology quiz: fentanyl is roughly {n} times more potent than morphine. True or false?"},
	{"en", nil, "Blues night at the bar downtown 🔵🎸 live band from {city_en}"},
	{"en", nil, "Snow again in {city_en} ❄️ schools closed tomorrow"},
	{"en", nil, "Wired tuition through my bank today, they asked for ID and a form, all done"},
	{"en", nil, "Star note collectors: found a $1 bill with serial ending {n}, anyone trade?"},
}

var illicit = []template{
	// ml_broker
	{"zh-Hans", []string{"ml_broker"}, "美金换人民币，不占额度，国内秒到，学费生活费都能走，加V {wechat}"},
	{"zh-Hans", []string{"ml_broker"}, "收购银行卡四件套，对公账户优先，高价回收，飞机 @{tg}"},
	{"zh-Hant", []string{"ml_broker"}, "換匯對敲，美國付美金國內收人民幣，免證件，聯繫 {phone}"},
	{"es", []string{"ml_broker"}, "Pago espejo USD a China, sin papeleo y sin reportes, liquidamos en China el mismo día. WhatsApp {phone}"},
	{"en", []string{"ml_broker"}, "Swap USD/CNY off the books, no forms, no 50k limit, same day arrival. TG @{tg}"},
	// ml_broker + bulk_cash
	{"zh-Hans", []string{"ml_broker", "bulk_cash"}, "{city_zh}上门收现金，美金现金换人民币，一美元暗号交接，当天到账，微信 {wechat}"},
	{"es", []string{"ml_broker", "bulk_cash"}, "Recogemos efectivo en {city_en}, billete de un dólar como contraseña, te pagamos en yuanes en China. {phone}"},
	{"en", []string{"ml_broker", "bulk_cash"}, "Cash pickup tonight in {city_en}, $1 serial as token, RMB paid in China within the hour. TG @{tg}"},
	// bulk_cash
	{"zh-Hans", []string{"bulk_cash"}, "招跑腿司机，{city_zh}到边境，每趟{n}千，现金装包真空封装，不问来源"},
	{"es", []string{"bulk_cash"}, "Busco chofer para llevar maletas con efectivo a la frontera, pago por viaje, empacado al vacío. {phone}"},
	{"en", []string{"bulk_cash"}, "Need runners for duffels, counting machine provided, deposits under 10k at different branches. Hit me {phone}"},
	// crypto_cashout
	{"zh-Hans", []string{"crypto_cashout"}, "大量收U出U，免实名，黑U也收，现金或银行卡出金，地址 {tron}"},
	{"zh-Hant", []string{"crypto_cashout"}, "承兌商收U，免實名出金，洗幣服務，TG @{tg}"},
	{"es", []string{"crypto_cashout"}, "Cambio USDT a efectivo sin KYC, cualquier monto, limpiamos cripto. Telegram @{tg}"},
	{"en", []string{"crypto_cashout"}, "OTC USDT to cash, no KYC, we buy flagged wallets, any size. Send to {tron}"},
	// drug_sale
	{"zh-Hans", []string{"drug_sale"}, "芬太尼现货，蓝片M30，同城送，不用处方，加V {wechat}"},
	{"es", []string{"drug_sale"}, "Tengo las azules M30 y fenta en polvo, envío en {city_en}, pago en efectivo o cripto 📲 {phone}"},
	{"en", []string{"drug_sale"}, "💊🔵 blues M30s pressed, perc 30s, {n} for 100+, delivery around {city_en} 📲 @{tg}"},
	// precursor_sale
	{"zh-Hans", []string{"precursor_sale"}, "现货供应 N-苯乙基-4-哌啶酮 39742-60-4，纯度99%，墨西哥专线，双清包税，到门"},
	{"es", []string{"precursor_sale"}, "Vendemos 4-AP 23056-29-3 y 1-boc-4-piperidona, envío seguro a México, despacho aduanal garantizado. {email}"},
	{"en", []string{"precursor_sale"}, "ANPP 21409-26-7 in stock, 99% purity, hot sale Mexico, customs clearance guaranteed, reship if seized. {email}"},
	// crypto_cashout + bulk_cash
	{"en", []string{"bulk_cash", "crypto_cashout"}, "USDT to cash delivered by courier in {city_en}, large tickets, no KYC, meet in person. TG @{tg}"},
}

var citiesEN = []string{"Los Angeles", "New York", "Chicago", "Houston", "Phoenix", "Atlanta", "San Francisco", "Seattle", "Miami", "Dallas", "Tijuana", "Guadalajara", "Monterrey", "Culiacan"}
var citiesZH = []string{"洛杉矶", "纽约", "芝加哥", "休斯顿", "凤凰城", "亚特兰大", "旧金山", "西雅图", "迈阿密", "达拉斯"}

// contacts are the shared indicators of one illicit cluster: accounts in a
// cluster reuse them, which is what network analysis later links.
type contacts struct {
	phone, wechat, tg, tron, email string
}

func fill(r *rand.Rand, t template, c contacts) string {
	rep := strings.NewReplacer(
		"{city_zh}", citiesZH[r.IntN(len(citiesZH))],
		"{city_en}", citiesEN[r.IntN(len(citiesEN))],
		"{n}", fmt.Sprint(2+r.IntN(98)),
		"{phone}", c.phone, "{wechat}", c.wechat, "{tg}", c.tg, "{tron}", c.tron, "{email}", c.email,
	)
	return rep.Replace(t.text)
}
