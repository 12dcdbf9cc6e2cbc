package detect

import "testing"

// TestRound5 holds the H51 probes, written for this test by mechanism from
// blind16's described misses (its texts unread), in zh-Hans, zh-Hant and
// Cantonese, es, en and pinyin: short or misspelt drug names with a hand-off
// and a city, pressed pills priced per piece, work-from-home mules, company
// account kits, pinyin "pf", coins for cash with no registration, "cleaning"
// of USDT, cash collection runs, small bills into hundreds, cash here paid in
// RMB there, precursors with free reshipping if seized; and the benign
// look-alikes (seizure news, structuring explainers, crypto price news) that
// must stay clean. want is checked with the rules alone; clean with the
// default engine.
func TestRound5(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rulesOnly := New(e.Pack(), nil, Options{})
	cases := []labelProbe{
		// 1. drug_sale: short or misspelt names, hand-offs, pickup, cities
		{"fentanil del bueno, entregamos en Nuevo Laredo, manda mensaje", []string{"drug_sale"}, nil},
		{"puro fenta del bueno, se entrega en Piedras Negras", []string{"drug_sale"}, nil},
		{"fenta the good kind, hand delivered in Yuma tonight", []string{"drug_sale"}, nil},
		{"芬太 货好，同城送到手，价格私聊", []string{"drug_sale"}, nil},
		{"dulces azules disponibles en Culiacán y Los Mochis, 667 123 4567", []string{"drug_sale"}, nil},
		{"dulces azules ya disponibles, Torreón y Saltillo, whats 871 555 0192", []string{"drug_sale"}, nil},
		{"M30 blues $10, min 50, Bakersfield pickup", []string{"drug_sale"}, nil},
		{"blues 9 each, 100 min, pick up in Albuquerque only", []string{"drug_sale"}, nil},
		{"azules de 30 a 120 c/u, pasas a recoger en Tecate", []string{"drug_sale"}, nil},
		{"小蓝 25刀一粒，五十粒起，奥克兰自取", []string{"drug_sale"}, nil},
		{"no son M30 originales, son prensadas, 90 pesos la pieza", []string{"drug_sale"}, nil},
		{"not real percs, pressed ones, $8 per piece, 50 min", []string{"drug_sale"}, nil},
		{"唔係原装M30，压嘅，每粒一百蚊", []string{"drug_sale"}, nil},
		// 2. ml_broker: work-from-home mules, company-account kits, pinyin pf
		{"Trabajo desde casa: recibes depósitos en tu cuenta y los reenvías, te quedas con el 8%", []string{"ml_broker"}, nil},
		{"empleo desde casa, te llegan transferencias y las pasas a otra cuenta, comisión del 5 por ciento", []string{"ml_broker"}, nil},
		{"work from home: receive payments into your account, forward them the same day, keep 10%", []string{"ml_broker"}, nil},
		{"在家兼职：钱打到你卡上，你再转出去，留百分之五", []string{"ml_broker"}, nil},
		{"收对公账户四件套，一套三千，当天结", []string{"ml_broker"}, nil},
		{"長期收公戶四件套，U盾網銀齊全，每套2500", []string{"ml_broker"}, nil},
		{"收对公 四件套 价格美丽 要求开户半年以上", []string{"ml_broker"}, nil},
		{"招pf代理，支付宝进U出，佣金日结", []string{"ml_broker"}, nil},
		{"pf 团队招人，有支付宝就能做，跑完换U，点位高", []string{"ml_broker"}, nil},
		// 3. crypto_cashout: coins for cash with no registration; USDT "cleaning"
		{"vendemos BTC por efectivo sin registro, 3% abajo del mercado, en Monterrey", []string{"crypto_cashout"}, nil},
		{"compra tu bitcoin en efectivo, sin INE ni registro, entregamos en Guadalajara", []string{"crypto_cashout"}, nil},
		{"USDT cleaning service: multiple chain hops, output passes exchange checks, 4% fee", []string{"crypto_cashout"}, nil},
		{"we clean your usdt, hops across chains so it clears any exchange, fee 6%", []string{"crypto_cashout"}, nil},
		{"USDT 洗白服务，多链跳转，出来的币过交易所风控，收费百分之五", []string{"crypto_cashout"}, nil},
		{"limpiamos tus USDT, varios saltos de cadena, pasa cualquier exchange, comisión 5%", []string{"crypto_cashout"}, nil},
		// 4. bulk_cash: collection runs, small bills into hundreds, cash here paid in RMB
		{"Recolección de efectivo en Houston y San Antonio, 24/7, bolsas selladas, pago por entrega", []string{"bulk_cash"}, nil},
		{"cash collection runs Dallas to Houston, 24/7, sealed bags, paid per drop", []string{"bulk_cash"}, nil},
		{"small bills into hundreds 💯 any amount, meet in the Walmart parking lot", []string{"bulk_cash"}, nil},
		{"cambio billetes chicos por de a cien 💯, nos vemos en el estacionamiento", []string{"bulk_cash"}, nil},
		{"碎钞换百元大钞💯，停车场见面交", []string{"bulk_cash"}, nil},
		{"Pay your tuition in RMB: hand us the cash in Seattle, the school gets paid in China", []string{"bulk_cash", "ml_broker"}, nil},
		{"学费人民币代付，你在洛杉矶当面给现金，国内直接到学校账户", []string{"bulk_cash", "ml_broker"}, nil},
		{"efectivo aquí en Chicago, tu proveedor recibe yuanes en Guangzhou, entregas en persona", []string{"bulk_cash", "ml_broker"}, nil},
		// 5. precursor_sale: ANPP by name, free reship if seized
		{"ANPP disponible, envío a Sinaloa, reenvío gratis si lo decomisan", []string{"precursor_sale"}, nil},
		{"ANPP in stock, free reship if customs seizes it, ship to Mexico", []string{"precursor_sale"}, nil},
		{"ANPP 现货，被扣免费重发，可发墨西哥", []string{"precursor_sale"}, nil},
		{"ANPP 有貨，海關扣咗免費補發", []string{"precursor_sale"}, nil},
		// more wordings of the same mechanisms
		{"Chamba desde tu casa, depositan en tu tarjeta y lo pasas a otra, te quedas con tu parte", []string{"ml_broker"}, nil},
		{"home based job: accept deposits from our clients, send the money on to our partners, 7% is yours", []string{"ml_broker"}, nil},
		{"在家就能做，客户钱转到你银行卡，你按指示转走，抽百分之三", []string{"ml_broker"}, nil},
		{"收公司对公户 全套资料 一户两千", []string{"ml_broker"}, nil},
		{"buying LLC business account kits, online login + debit card + token, $500 per kit", []string{"ml_broker"}, nil},
		{"vendo bitcoin por efectivo, no necesitas registrarte, 2% abajo del precio, CDMX", []string{"crypto_cashout"}, nil},
		{"现金买币，免注册，比市价低2%，洛杉矶当面", []string{"crypto_cashout"}, nil},
		{"se recolecta efectivo en Phoenix y Tucson, disponibles 24/7, todo sellado, se paga por viaje", []string{"bulk_cash"}, nil},
		{"散紙換金牛💯，停車場交收", []string{"bulk_cash"}, nil},
		{"给我们现金（旧金山），学费人民币直接交到学校", []string{"bulk_cash", "ml_broker"}, nil},
		{"美金现金换人民币，尔湾见面点钞，国内当天到账", []string{"bulk_cash", "ml_broker"}, nil},
		{"USD cash for RMB, we meet at your place in Flushing, rate beats the bank", []string{"bulk_cash", "ml_broker"}, nil},
		{"fenta a la orden, entregamos en San Luis Río Colorado", []string{"drug_sale"}, nil},
		{"Little blue ones available in Tucson, text", []string{"drug_sale"}, nil},
	}
	checkLabelProbes(t, rulesOnly, cases)
	// 6. benign look-alikes of the three false alarms: news, explainers, price news
	clean := []string{
		"Aseguran 200 kilos de precursores químicos en el puerto de Manzanillo, informó la Marina",
		"La Guardia Nacional incautó un cargamento de ANPP en Sonora; la FGR abrió carpeta",
		"海关在港口截获一批芬太尼前体化学品，涉案人员已被控制",
		"What is structuring? Splitting cash deposits under $10,000 to dodge bank reports is a federal crime, even if the money is clean",
		"Explainer: why breaking up cash deposits below 10k can get you charged",
		"¿Qué es el pitufeo? Dividir depósitos en efectivo para evitar reportes es un delito",
		"比特币今日跌破6万美元，24小时跌幅3%，分析师称短期仍有压力",
		"USDT市值突破1200亿美元，行情播报：BTC收盘报价62000",
		"比特幣今日行情：價格回升至六萬美元，交易量放大",
		"加密货币早报：BTC 站上 6.5 万美元，USDT 溢价回落",
		"Decomisan en Sinaloa cargamento de precursores químicos para fentanilo",
		"Structuring explained: breaking deposits into amounts under $10,000 is illegal",
		// look-alikes of the new rules: phone benchmarks, office cleaning, shirts and harmonicas near a city
		"pf 跑分 安兔兔 骁龙",
		"Office cleaning service, hop on a call, fee negotiable, pay in usdt",
		"Blue jeans in stock, Laredo, $20 each",
		"Selling blues harmonica, $30, pickup in Yuma",
		"Oferta: camisas azules a 120 c/u, Los Mochis, mayoreo",
		"Las azules del uniforme ya disponibles en Saltillo",
		"Flores prensadas, 50 pesos la pieza, ideales para tarjetas",
		"Blues festival in Memphis, tickets $40",
	}
	checkClean(t, e, clean)
}

// TestRound6 probes the mechanisms of blind17's described misses (H53), in
// the five language tags and in wording written for this test, plus the
// benign classes behind its false alarms and ordinary commerce look-alikes.
func TestRound6(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rulesOnly := New(e.Pack(), nil, Options{})
	cases := []labelProbe{
		// 1. bulk_cash without FX or Chinese wording: token bill, counting job, pack carried across, paid out abroad
		{"la clave para recoger es el número de serie del billete de un dólar, te lo mando por foto", []string{"bulk_cash"}, nil},
		{"pickup code is the serial on a one dollar bill, show it to the guy and he hands you the bag", []string{"bulk_cash"}, nil},
		{"取货暗号是一美元钞票上的编号，对上号就把袋子给你", []string{"bulk_cash"}, nil},
		{"se busca gente para contar billetes, pago por turno, traer máquina contadora", []string{"bulk_cash"}, nil},
		{"need someone to count money overnight, paid per shift, discreet, no questions", []string{"bulk_cash"}, nil},
		{"recoges el paquete en Nogales y lo cruzas sin declarar, pago al llegar", []string{"bulk_cash"}, nil},
		{"pick up the pack in El Paso, take it across, don't declare it, $800 a trip", []string{"bulk_cash"}, nil},
		{"包在这边拿，过关不用申报，到了给你一千", []string{"bulk_cash"}, nil},
		{"nos das billetes chicos aquí y te pagan en Guatemala, en quetzales", []string{"bulk_cash"}, nil},
		{"drop your small bills with us here, your people get paid out in Honduras the same day", []string{"bulk_cash"}, nil},
		{"aquí recibimos billetes chicos y allá se los pagan en Guatemala", []string{"bulk_cash"}, nil},
		{"se necesita persona para conteo de dinero en casa, pago diario", []string{"bulk_cash"}, nil},
		{"the code is the serial number on the one dollar bill, show it at pickup", []string{"bulk_cash"}, nil},
		{"grab the pack in Laredo and walk it across, nothing declared, $1000", []string{"bulk_cash"}, nil},
		// 2. bill refining: small notes swapped for hundreds
		{"收小面额现金，换成百元大钞，量大从优", []string{"bulk_cash"}, nil},
		{"零钱换整百，二十的五十的都收，当面换", []string{"bulk_cash"}, nil},
		{"收散鈔換一百蚊大紙，當面交收", []string{"bulk_cash"}, nil},
		{"cambiamos billetes de 20 por billetes de 100, cualquier cantidad", []string{"bulk_cash"}, nil},
		{"te cambio tus billetes chicos por de a cien, discreto", []string{"bulk_cash"}, nil},
		{"swap your 20s for 100s, any amount, discreet", []string{"bulk_cash"}, nil},
		// 3. mirror swaps in unusual wording
		{"现金上门收，对冲换汇，电话联系 626-555-0147", []string{"ml_broker", "bulk_cash"}, nil},
		{"operación espejo: tú pagas aquí en pesos y tu proveedor en China recibe yuanes", []string{"ml_broker"}, nil},
		{"hacemos compensación: nos das efectivo y te lo devolvemos con facturas en el extranjero", []string{"ml_broker"}, nil},
		{"liquidamos a tu proveedor en el extranjero con operación espejo, sin transferencia internacional", []string{"ml_broker"}, nil},
		{"meiyuan huan renminbi, duiqiao, guonei dangtian daozhang", []string{"ml_broker"}, nil},
		{"xianjin huan renminbi, duichong, bu zhan edu", []string{"ml_broker"}, nil},
		{"pay your kid's tuition through us: you give dollars here, we swap and the school gets RMB, no wire", []string{"ml_broker"}, nil},
		{"mirror swap: your dollars stay here, our partner pays the tuition in China, no bank transfer", []string{"ml_broker"}, nil},
		{"美金现金上门取，对冲处理，电话联系", []string{"ml_broker", "bulk_cash"}, nil},
		{"compensamos tu efectivo con facturación a tu proveedor en Colombia", []string{"ml_broker"}, nil},
		{"intercambio espejo: dólares aquí, pesos allá, sin banco", []string{"ml_broker"}, nil},
		{"your USD cash covers a student's tuition here, and his family pays you back in RMB", []string{"ml_broker"}, nil},
		{"mei jin xian jin huan ren min bi, guo nei dao zhang", []string{"ml_broker"}, nil},
		// 4. the ml_broker half of multi-label rows
		{"meet in the Costco parking lot, you hand over the USD cash, your family gets RMB in China same day", []string{"bulk_cash", "ml_broker"}, nil},
		{"en el estacionamiento me das los dólares en efectivo y tu familia recibe yuanes en China", []string{"bulk_cash", "ml_broker"}, nil},
		{"I buy USDT for people with their money, send me the cash and I send the coins, 3% cut", []string{"crypto_cashout", "ml_broker"}, nil},
		{"compro USDT a nombre de otros con su dinero, me depositas y te mando las monedas", []string{"crypto_cashout", "ml_broker"}, nil},
		{"帮别人用他们的钱买U，钱打给我，我转币给你，抽点", []string{"crypto_cashout", "ml_broker"}, nil},
		{"nos vemos en el estacionamiento del Walmart, me das el efectivo y mi socio allá le entrega lo mismo a tu gente", []string{"bulk_cash", "ml_broker"}, nil},
		{"停车场碰头，你给现金，我朋友在国内把钱转给你家", []string{"bulk_cash", "ml_broker"}, nil},
		{"uso mi cuenta para comprar USDT para otros, me pasan el dinero y les mando el USDT", []string{"crypto_cashout", "ml_broker"}, nil},
		// 5. fentanyl sold by purity, weight and crypto; crypto cleaning without "clean"
		{"fentanilo puro de laboratorio, de medio kilo para arriba, acepto cripto", []string{"drug_sale"}, nil},
		{"lab-pure fent, half a kilo and up, crypto accepted", []string{"drug_sale"}, nil},
		{"芬太尼 实验室纯度 半公斤起 收USDT", []string{"drug_sale"}, nil},
		{"limpiamos tus cripto: cartera nueva en cada salto, el exchange nunca sabe de dónde vino", []string{"crypto_cashout"}, nil},
		{"fresh wallet on every hop, the exchange never knows where your coins came from", []string{"crypto_cashout"}, nil},
		{"每一跳都换新钱包，交易所查不到币的来源", []string{"crypto_cashout"}, nil},
		{"chiva pura de laboratorio, medio kilo en adelante", []string{"drug_sale"}, nil},
		{"tus criptos pasan por carteras nuevas en cada salto y el exchange no sabe de dónde salieron", []string{"crypto_cashout"}, nil},
		// 6. drugs: 30s price list; diverted fentanyl patches
		{"30s price list: 10 for $150, 50 for $600, 100 for $1000", []string{"drug_sale"}, nil},
		{"lista de precios de las 30: 10 por 1500, 100 por 9000", []string{"drug_sale"}, nil},
		{"fentanyl patches from the hospice, 100mcg, $60 each", []string{"drug_sale"}, nil},
		{"parches de fentanilo del hospital, de 50 y 100, precio por parche", []string{"drug_sale"}, nil},
		{"医院流出的芬太尼贴片，一片三百，可寄", []string{"drug_sale"}, nil},
	}
	checkLabelProbes(t, rulesOnly, cases)
	// 7. benign classes of the false alarms, and ordinary commerce look-alikes
	clean := []string{
		"温馨提示：每人每年购汇便利化额度为等值5万美元，请勿拆分购汇",
		"Notice from your bank: the annual foreign exchange quota per person is USD 50,000",
		"Aviso del banco: el cupo anual de compra de divisas es de 50 mil dólares por persona",
		"Bank notice: your annual FX quota of USD 50,000 resets on January 1; splitting purchases across family members is not allowed",
		"招商銀行通知：每人每年外匯額度五萬美元，我們可幫你預約網點辦理",
		"課程作業：分析對敲換匯（鏡像交易）如何規避外匯管制",
		"Coursework: describe how mirror trades move value across borders without a wire",
		"Tarea de la clase: explica cómo funcionan las operaciones espejo en el lavado de dinero",
		"¿Por qué el exchange me pide verificar identidad antes de retirar? ¿Es normal el KYC?",
		"Pregunta: quiero retirar mis cripto a pesos pero el exchange me pide verificar identidad primero, ¿cuánto tarda?",
		"Una duda: ¿puedo retirar mis USDT en efectivo sin hacer el KYC o siempre lo piden?",
		"Blue hoodies in stock, LA pickup, $25 a piece",
		"Sudaderas disponibles, recoger en Tijuana, 300 pesos la pieza",
		"Pickup code is on your receipt, show it at the counter",
		"Contamos con máquina contadora de billetes usada en venta, 2500 pesos",
		"Lista de precios: tacos 30 pesos, tortas 50",
		"30s playlist: the best hits of the 1930s",
		"Nicotine patches, 21mg, $30 a box, pickup available",
		"Lab-grade purity reagents for schools, half kilo and up, purchase orders accepted",
		"Pay your bill online: enter the code that matches the account number on your statement",
		"Bag policy at the border: declare any food, undeclared items get seized",
		"Envíos a Guatemala, tu familia cobra en efectivo en cualquier agencia, sin banco, rápido y seguro",
		"Conteo de dinero para cajeros: curso de capacitación, se necesita persona responsable",
		"30s price list: vintage jackets 10 for $150, 20 for $280",
		"Parches de nicotina, precio por parche 20 pesos",
		"Camisas en paquete de 3, se entrega en Guatemala, pago en efectivo",
		"Just 2 mg of pure fentanyl can kill; one kilo could kill half a million people",
		"Garage sale in the church parking lot Saturday, cash only, bring the family",
		"Espejo de baño, proveedor directo, envío al extranjero",
		"Compensación de facturas entre empresas del grupo: guía contable",
		"对冲基金理财讲座，欢迎来电咨询，持牌机构",
		"Buying USDT for my family with their money is it legal?",
	}
	checkClean(t, e, clean)
}

// TestRound7 holds probes for the mechanisms behind blind18's misses (H55),
// written from descriptions in the five language tags, and look-alikes that
// must stay clean. Rules alone for the positives; the default engine for the
// clean list.
func TestRound7(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rulesOnly := New(e.Pack(), nil, Options{})
	cases := []labelProbe{
		// 1. ml_broker from the scheme: student mules, business accounts, fiat into USDT, triangulation, settlement in China, cash into a Chinese account, pinyin counting swap
		{"recruiting college students, use your bank account to receive and forward payments, keep 10%", []string{"ml_broker"}, nil},
		{"招大学生，用你的银行卡帮忙收款转账，每笔给你提成", []string{"ml_broker"}, nil},
		{"buscamos estudiantes que presten su cuenta bancaria para recibir y reenviar pagos, ganas comisión", []string{"ml_broker"}, nil},
		{"buying business bank accounts with online banking, LLC with EIN, pay on handoff, telegram @acct", []string{"ml_broker"}, nil},
		{"收对公账户，带网银U盾，当面交接，价格好谈", []string{"ml_broker"}, nil},
		{"compro cuentas empresariales con banca en línea, pago al entregar", []string{"ml_broker"}, nil},
		{"need people with bank accounts to turn fiat into USDT for us, you get 2% of every transfer", []string{"ml_broker", "crypto_cashout"}, nil},
		{"找人用自己的银行卡把人民币换成USDT，每单给你提成", []string{"ml_broker", "crypto_cashout"}, nil},
		{"buscamos personas con cuenta para pasar pesos a USDT, te llevas comisión por cada depósito", []string{"ml_broker", "crypto_cashout"}, nil},
		{"triangulamos pagos a tu proveedor en China con facturas de importación, sin pasar por el banco", []string{"ml_broker"}, nil},
		{"hacemos triangulación de pagos para importadores, tu dinero llega al proveedor en Asia sin transferencia", []string{"ml_broker"}, nil},
		{"you pay us in dollars here, settlement happens in China, your supplier gets yuan the same day", []string{"ml_broker"}, nil},
		{"tú pagas aquí y se liquida en China, tu proveedor recibe yuanes", []string{"ml_broker"}, nil},
		{"hand the cash to our guy, the money goes into a Chinese bank account same day", []string{"ml_broker", "bulk_cash"}, nil},
		{"nos vemos en el estacionamiento, me entregas el efectivo y el dinero se deposita en una cuenta en China", []string{"ml_broker", "bulk_cash"}, nil},
		{"现金交给我们的人，当天转入国内账户", []string{"ml_broker", "bulk_cash"}, nil},
		{"xianjin dian qing, huan renminbi, guonei zhuanzhang", []string{"ml_broker", "bulk_cash"}, nil},
		// 2. bulk_cash: bill refining in slang, carry hidden in tires, USD cash for MXN no report, chip walking
		{"turn your small bills into benjis, straps of hundreds, any amount", []string{"bulk_cash"}, nil},
		{"got a bag of 20s? we give you straps of benjamins, no questions", []string{"bulk_cash"}, nil},
		{"llevamos el efectivo escondido en las llantas, cruzamos sin declarar", []string{"bulk_cash"}, nil},
		{"cash stashed inside the tires, we drive it across, nothing declared", []string{"bulk_cash"}, nil},
		{"现金藏在轮胎里过关，不用申报", []string{"bulk_cash"}, nil},
		{"dólares en efectivo por pesos, sin reporte, nos vemos en persona", []string{"bulk_cash", "ml_broker"}, nil},
		{"USD cash for MXN, no report, meet in person", []string{"bulk_cash", "ml_broker"}, nil},
		{"澳門賭場洗碼，現金換籌碼再換回，快速", []string{"bulk_cash"}, nil},
		{"赌场洗码，现金换筹码，转一圈出来干净", []string{"bulk_cash"}, nil},
		// 3. precursors: sea freight to Mexican ports, false declaration, spaced ANPP
		{"苯乙基溴 CAS 103-63-9 现货，走海运到曼萨尼约港", []string{"precursor_sale"}, nil},
		{"phenethyl bromide CAS 103-63-9, ship by sea to Manzanillo port", []string{"precursor_sale"}, nil},
		{"1-boc-4-AP CAS 125541-22-2，标签写成化妆品原料，安全到港", []string{"precursor_sale"}, nil},
		{"1-boc-4-AP CAS 125541-22-2, labelled as cosmetic raw material", []string{"precursor_sale"}, nil},
		{"1-boc-4-AP, declarar como materia prima cosmética, envío a México", []string{"precursor_sale"}, nil},
		{"A N P P and N P P in stock, ship to Mexico", []string{"precursor_sale"}, nil},
		// 4. drugs: china white with lookalikes, Cantonese oxy
		{"сhinа white available, DM for price, ships fast", []string{"drug_sale"}, nil},
		{"出仔 oxy 有貨，WhatsApp 搵我", []string{"drug_sale"}, nil},
		// 5. dirty USDT
		{"buying dirty USDT nobody dares touch, 80% payout, TRON address TXa1b2c3d4e5f6g7h8j9k1m2n3p4q5r6s7t8", []string{"crypto_cashout"}, nil},
		{"收黑U，别人不敢碰的都收，给你八成，TRC20地址", []string{"crypto_cashout"}, nil},
		{"compro USDT sucio o congelado que nadie quiere, pago 70%", []string{"crypto_cashout"}, nil},
		// the same mechanisms behind evasions that normalisation undoes (spacing, leetspeak, look-alikes, emoji)
		{"r e c r u i t i n g college s t u d e n t s, use your bank account to receive and forward payments, keep 10%", []string{"ml_broker"}, nil},
		{"招 学 生 兼 职，出 借 银 行 卡，日 结", []string{"ml_broker"}, nil},
		{"buy1ng bu5ine55 b4nk acc0unts with online banking, pay on handoff, telegram @acct", []string{"ml_broker"}, nil},
		{"need people with bank accounts 🏦 to turn fiat 💵 into USDT for us, you get 2%", []string{"ml_broker", "crypto_cashout"}, nil},
		{"USD cash 💵 for MXN 🇲🇽 no report 🤫 meet 🤝", []string{"ml_broker", "bulk_cash"}, nil},
		{"cash in the t i r e s, we drive it across, nothing declared", []string{"bulk_cash"}, nil},
		{"c h i n a w h i t e available, DM for price", []string{"drug_sale"}, nil},
		{"1-boc-4-AP CAS 125541-22-2，標籤寫成化妝品原料", []string{"precursor_sale"}, nil},
		{"bring the cash, my guy checks the serial on your one dollar bill, then your family in China gets RMB", []string{"ml_broker", "bulk_cash"}, nil},
		{"Hand the cash to our guy, it is deposited to your Chinese bank account", []string{"ml_broker", "bulk_cash"}, nil},
	}
	checkLabelProbes(t, rulesOnly, cases)
	// 6. benign classes: anti-drug notices, ordinary commerce and news look-alikes
	clean := []string{
		"Anti-drug notice: M30 pills sold on the street often contain fentanyl, one can kill",
		"禁毒提示：街头的M30药片常含芬太尼，一粒可致命",
		"Aviso antidrogas: las pastillas M30 pueden contener fentanilo, no las consumas",
		"Shipping by sea to Manzanillo port, furniture containers, customs broker included",
		"Tires for sale, 4 used Michelin, cash only, pickup in Laredo",
		"Casino chips collection for sale, vintage Las Vegas",
		"China white porcelain tea set, 6 cups, shipping fast",
		"We are hiring students for part-time tutoring, paid weekly by bank transfer",
		"Open a business bank account online in 10 minutes with our bank",
		"Cosmetic raw materials supplier, hyaluronic acid, labelled per FDA rules",
		"Tires for sale, cash only, near the border crossing, we ship across Texas",
		"Can I give cash to my friend here and he transfers RMB to my account in China? is that legal?",
		"Noticia: la triangulación de mercancías chinas por México con facturas falsas preocupa a EU",
		"Students: open a checking account with us, no monthly fee, earn 2% cashback",
		"Rare 1935 one dollar bill with a star serial number, shipped from China, $40",
		"How do I move pesos to USDT from my own bank account? which app has the lowest fee",
		"Casa de cambio: dólares en efectivo por pesos, con identificación; reportamos según la ley",
		"China white marble countertops, cut to size, free delivery, call for a quote",
		"醫生開咗 oxycodone 俾我，有冇人知副作用？",
		"My USDT got frozen by the exchange, is it dirty? how do I appeal",
	}
	checkClean(t, e, clean)
}
