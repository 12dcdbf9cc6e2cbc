package indicator

import "testing"

func TestExtractCity(t *testing.T) {
	c := func(v, n string) []want { return []want{{City, v, n, true, ""}} }
	runCases(t, []tcase{
		{text: "洛杉矶当面", want: c("洛杉矶", "Los Angeles, US")},
		{text: "洛杉磯現金", want: c("洛杉磯", "Los Angeles, US")},
		{text: "Cash pickup in LA tonight", want: c("LA", "Los Angeles, US")},
		{text: "recojo en Los Ángeles", want: c("Los Ángeles", "Los Angeles, US")},
		{text: "meet in new york", want: c("new york", "New York, US")},
		{text: "NYC/NJ same day", want: c("NYC", "New York, US")},
		{text: "entrega en Culiacán y Mazatlán", want: []want{{City, "Culiacán", "Culiacan, MX", true, ""}, {City, "Mazatlán", "Mazatlan, MX", true, ""}}},
		{text: "库利亚坎", want: c("库利亚坎", "Culiacan, MX")},
		{text: "從洛杉磯開到埃爾帕索", want: []want{{City, "洛杉磯", "Los Angeles, US", true, ""}, {City, "埃爾帕索", "El Paso, US", true, ""}}},
		{text: "休士頓收現", want: c("休士頓", "Houston, US")},
		{text: "efectivo en CDMX", want: c("CDMX", "Mexico City, MX")},
		{text: "发货到墨西哥城", want: c("墨西哥城", "Mexico City, MX")},
		{text: "Ciudad de México", want: c("Ciudad de México", "Mexico City, MX")},
		{text: "Chicago/芝加哥", want: []want{{City, "Chicago", "Chicago, US", true, ""}, {City, "芝加哥", "Chicago, US", true, ""}}},
		// Word boundaries and case-sensitive abbreviations.
		{text: "la casa de la playa", opt: Options{Lang: "es"}},
		{text: "Phoenixville and @houston_cash", only: City},
		{text: "墨西哥专线", opt: Options{Lang: "zh-Hans"}},
	})
}
