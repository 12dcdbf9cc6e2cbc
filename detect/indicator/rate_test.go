package indicator

import "testing"

func TestExtractRates(t *testing.T) {
	zh := Options{Lang: "zh-Hans"}
	runCases(t, []tcase{
		{text: "今日汇率7.25", opt: zh, want: []want{{ExchangeRate, "7.25", "7.25", true, "汇率"}}},
		{text: "汇率：7.1，量大从优", opt: zh, want: []want{{ExchangeRate, "7.1", "7.1", true, "汇率"}}, only: ExchangeRate},
		{text: "tipo de cambio 17.50", opt: Options{Lang: "es"}, want: []want{{ExchangeRate, "17.50", "17.5", true, "tipo de cambio"}}},
		{text: "rate is 7.18 today", opt: Options{Lang: "en"}, want: []want{{ExchangeRate, "7.18", "7.18", true, "rate"}}},
		{text: "按7.2算", opt: zh, want: []want{{ExchangeRate, "7.2", "7.2", true, "按"}}},
		{text: "按照7.1计算", opt: zh, want: []want{{ExchangeRate, "7.1", "7.1", true, "按照"}}},
		{text: "rate 7250", opt: Options{Lang: "en"}, want: []want{{ExchangeRate, "7250", "7250", false, "rate"}}},
		{text: "te cobro 5%", opt: Options{Lang: "es"}, want: []want{{Commission, "5%", "5%", true, "cobro"}}},
		{text: "汇率1:7.25", opt: zh, want: []want{{ExchangeRate, "7.25", "7.25", true, "汇率"}}},
		{text: "汇率 1美金=7.2", opt: zh, want: []want{{ExchangeRate, "7.2", "7.2", true, "汇率"}}, only: ExchangeRate},
		{text: "tipo de cambio: 1 USD = 17.5", opt: Options{Lang: "es"}, want: []want{{ExchangeRate, "17.5", "17.5", true, "tipo de cambio"}}, only: ExchangeRate},
		{text: "今天点位 7.3", opt: zh, want: []want{{ExchangeRate, "7.3", "7.3", true, "点位"}}},
		{text: "点位1.5%", opt: zh, want: []want{{Commission, "1.5%", "1.5%", true, "点位"}}},
		{text: "手续费 3个点", opt: zh, want: []want{{Commission, "3个点", "3%", true, "手续费"}}},
		{text: "we keep 5%", opt: Options{Lang: "en"}, want: []want{{Commission, "5%", "5%", true, "keep"}}},
		{text: "Comisión 3%.", opt: Options{Lang: "es"}, want: []want{{Commission, "3%", "3%", true, "Comisión"}}},
		{text: "only 2.5% fee", opt: Options{Lang: "en"}, want: []want{{Commission, "2.5%", "2.5%", true, "fee"}}},
		{text: "fee 150%", opt: Options{Lang: "en"}, want: []want{{Commission, "150%", "150%", false, "fee"}}},
		{text: "今日汇率:USD兑人民币中间价7.1左右", opt: zh, want: []want{{ExchangeRate, "7.1", "7.1", true, "汇率"}}},
		{text: "Pagamos 2% por cada entrega", opt: Options{Lang: "es"}, want: []want{{Commission, "2%", "2%", true, "Pagamos"}}},
		{text: "Ganas 3% por cada depósito", opt: Options{Lang: "es"}, want: []want{{Commission, "3%", "3%", true, "Ganas"}}},
		{text: "Selling BTC at 4% under spot", opt: Options{Lang: "en"}, want: []want{{Commission, "4%", "4%", true, "under spot"}}},
		// Not rates.
		{text: "汇率优于交易所, 按当日汇率计价, 2024.5 年", opt: zh},
		{text: "今天 BTC 涨了 5%, 99% purity", opt: zh},
		{text: "按时发货 7 天", opt: zh},
		{text: "rate beats the banks", opt: Options{Lang: "en"}},
		{text: "interest rate 5%", opt: Options{Lang: "en"}},
		{text: "汇率每天私聊", opt: zh},
	})
}
