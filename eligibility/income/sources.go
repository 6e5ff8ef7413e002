package income

// Legal sources cited by the steps. Each figure's status (confirmed on an
// official page, or not) is recorded next to the table that uses it and in
// docs/income.md. URLs were read through stored copies in November 2026.
var (
	srcSalaryLaw = Source{
		Law: "所得税法 第28条第3項・第4項、別表第五",
		URL: "https://laws.e-gov.go.jp/law/340AC0000000033",
	}
	srcSalaryNTA = Source{
		Law: "国税庁 タックスアンサー No.1410 給与所得控除",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1410.htm",
	}
	// 別表第五, 令和2年分–令和6年分 (住民税 令和3年度–令和7年度).
	srcTableR2 = Source{
		Law: "所得税法 別表第五（令和2年分～令和6年分）; 名古屋市「給与所得の金額の計算方法」",
		URL: "https://www.city.nagoya.jp/kurashi/zeikin/1037356/1011880/1011883/1011884/1011885.html",
	}
	// 別表第五, 令和7年分以後 (住民税 令和8年度以降).
	srcTableR7 = Source{
		Law: "所得税法 別表第五（令和7年法律第13号による改正後、令和7年分以後）; 彦根市「給与と年金の所得計算」",
		URL: "https://www.city.hikone.lg.jp/kakuka/somubu/6/syuruishikumi/kojinjyuminzei/shinkoku/28791.html",
	}
	// 令和8年分・令和9年分: 租税特別措置法 第29条の4 below 2,200,000, 別表第五 above.
	srcTableR8 = Source{
		Law: "租税特別措置法 第29条の4（令和8年法律第12号による追加。令和8年分・令和9年分の給与所得控除の特例）; 所得税法 別表第五",
		URL: "https://laws.e-gov.go.jp/law/332AC0000000026/20261201_508AC0000000012",
	}
	// 別表第五, 平成29年分–令和元年分 (住民税 平成30年度–令和2年度).
	srcTableH29 = Source{
		Law: "所得税法 別表第五（平成29年分～令和元年分）; 高崎市「市県民税の計算式」",
		URL: "https://www.city.takasaki.gunma.jp/page/3805.html",
	}
	srcIncomeAdjust = Source{
		Law: "租税特別措置法 第41条の3の3（所得金額調整控除）; 国税庁 タックスアンサー No.1411",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1411.htm",
	}
	srcPension = Source{
		Law: "所得税法 第35条第4項（公的年金等控除）; 国税庁 タックスアンサー No.1600; 立山町「年金所得の計算」",
		URL: "https://www.town.tateyama.toyama.jp/soshikikarasagasu/zeimuka/juminzeigakari/1/2/4803.html",
	}
	srcPensionOther = Source{
		Law: "所得税法 第35条第4項（公的年金等に係る雑所得以外の所得に係る合計所得金額による区分）; 愛西市「公的年金等の所得の簡易計算表」",
		URL: "http://www.city.aisai.lg.jp/contents_detail.php?co=cat&frmId=10931&frmCd=3-30-9-3-0",
	}
	srcCRAOrder = Source{
		Law: "児童扶養手当法施行令 第4条",
		URL: "https://laws.e-gov.go.jp/law/336CO0000000405",
	}
	srcCRAChildSupport = Source{
		Law: "児童扶養手当法施行令 第4条（養育費の百分の八十、一円未満四捨五入）",
		URL: "https://laws.e-gov.go.jp/law/336CO0000000405",
	}
	srcCRAAdjust = Source{
		Law: "児童扶養手当法施行令 第4条（給与所得・公的年金等に係る雑所得の合計額から10万円）; 大井町「所得の計算方法」",
		URL: "https://www.town.oi.kanagawa.jp/soshiki/8/jite-shotoku.html",
	}
	srcCRADeductions = Source{
		Law: "児童扶養手当法施行令 第4条（諸控除）; 武蔵村山市「児童扶養手当所得限度額表」",
		URL: "http://mobile.city.musashimurayama.lg.jp/kurashi/shougai/teate/1000699.html",
	}
	srcCRAAdditions = Source{
		Law: "児童扶養手当法施行令 第2条の4（限度額の加算）; 東金市「児童扶養手当の計算方法」",
		URL: "https://www.city.togane.chiba.jp/0000000309.html",
	}
	srcTokyoDeductions = Source{
		Law: "東京都 児童育成手当・ひとり親家庭等医療費助成; 目黒区「各種手当別控除一覧（令和3年度以降）」",
		URL: "https://www.city.meguro.tokyo.jp/kurashi/kosodate/josei/shoteate/kakushukouzyoitirann.html",
	}
	srcSpecialChildDeductions = Source{
		Law: "特別児童扶養手当等の支給に関する法律施行令（所得の範囲・控除）; 厚生労働省「特別児童扶養手当について」",
		URL: "https://www.mhlw.go.jp/bunya/shougaihoken/jidou/huyou.html",
	}
	srcDependents = Source{
		Law: "所得税法 第2条第1項第33号の2・第34号～第34号の4（同一生計配偶者・扶養親族等）",
		URL: "https://laws.e-gov.go.jp/law/340AC0000000033",
	}
	srcDependentThresholdR7 = Source{
		Law: "令和7年度税制改正（扶養親族等の所得要件 48万円→58万円）; 碧南市「令和8年度 市・県民税の変更点」",
		URL: "https://www.city.hekinan.lg.jp/soshiki/soumu/zeimu/siminzei/henkou/23224.html",
	}
	srcDependentThresholdR8 = Source{
		Law: "令和8年度税制改正（令和8年法律第12号。所得税法 第2条第1項第33号の2・第34号ほか: 扶養親族等の所得要件 58万円→62万円）",
		URL: "https://laws.e-gov.go.jp/law/340AC0000000033/20261201_508AC0000000012",
	}
	srcResidentExempt = Source{
		Law: "地方税法 第24条の5・第295条、附則第3条の3; 大田区「特別区民税・都民税が課税されない方」",
		URL: "https://www.city.ota.tokyo.jp/seikatsu/zeikin/kazei/hikazei.html",
	}
	srcResidentGrade = Source{
		Law: "地方税法施行令 第47条の3（級地による均等割非課税限度額）; 羽幌町「非課税の範囲」",
		URL: "https://town.haboro.lg.jp/kurashi/madoguchi/zeikin/hikazei.html",
	}
	srcMinor = Source{
		Law: "地方税法 第24条の5第1項第2号・民法第4条（成年年齢18歳, 令和5年度課税から）; 町田市「成年年齢の引き下げ」",
		URL: "http://www.city.machida.tokyo.jp/kurashi/tax/shimin/kaiseiten/R5Kaisei/r5kaisei_seinen.html",
	}
	srcSingleParentIT = Source{
		Law: "所得税法 第81条・第2条第1項第31号（ひとり親控除）; 国税庁 タックスアンサー No.1171",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1171.htm",
	}
	srcSingleParentRT = Source{
		Law: "地方税法 第314条の2第1項第8号の3（ひとり親控除・寡婦控除, 住民税）; 鹿児島市 FAQ",
		URL: "https://www.city.kagoshima.lg.jp/faq-kurashi/shiminzei/q63.html",
	}
	srcWidowIT = Source{
		Law: "所得税法 第80条・第2条第1項第30号（寡婦控除）; 国税庁 タックスアンサー No.1170",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1170.htm",
	}
	srcDeductionsIT = Source{
		Law: "所得税法 第72条〜第86条（所得控除）; 国税庁 タックスアンサー No.1100",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1100.htm",
	}
	srcDeductionsRT = Source{
		Law: "地方税法 第314条の2（市町村民税の所得控除）",
		URL: "https://laws.e-gov.go.jp/law/325AC0000000226",
	}
	srcBasicDeduction = Source{
		Law: "所得税法 第86条・租税特別措置法 第41条の16の2（基礎控除）; 地方税法 第314条の2第2項; 国税庁 No.1199",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1199.htm",
	}
	srcSpouse = Source{
		Law: "所得税法 第83条・第83条の2（配偶者控除・配偶者特別控除）; 国税庁 No.1191・No.1195",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1191.htm",
	}
	srcDependentDeduction = Source{
		Law: "所得税法 第84条（扶養控除）; 国税庁 No.1180",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1180.htm",
	}
	srcSpecificRelative = Source{
		Law: "所得税法 第84条の2・地方税法 第34条第1項第12号・第314条の2（特定親族特別控除、令和7年分〜・住民税 令和8年度〜）; 国税庁 No.1177",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1177.htm",
	}
	srcDisabledDeduction = Source{
		Law: "所得税法 第79条（障害者控除）; 国税庁 No.1160",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1160.htm",
	}
	srcWorkingStudent = Source{
		Law: "所得税法 第82条（勤労学生控除）; 国税庁 No.1175",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1175.htm",
	}
	srcAdjustmentDeduction = Source{
		Law: "地方税法 第314条の6（調整控除）; 瑞穂市「調整控除」（人的控除額の差の表）",
		URL: "https://www.city.mizuho.lg.jp/1785.htm",
	}
	srcIncomeTaxRates = Source{
		Law: "所得税法 第89条（税率）; 国税通則法 第118条（課税標準の千円未満切捨て）; 国税庁 No.2260",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/2260.htm",
	}
	srcReconstructionTax = Source{
		Law: "東日本大震災からの復興のための施策を実施するために必要な財源の確保に関する特別措置法 第13条（復興特別所得税 2.1%）; 国税庁 No.2260",
		URL: "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/2260.htm",
	}
	srcResidentLevy = Source{
		Law: "地方税法 第314条の3（市町村民税の所得割の税率 6%）・第20条の4の2（課税標準の千円未満切捨て）",
		URL: "https://laws.e-gov.go.jp/law/325AC0000000226",
	}
)
