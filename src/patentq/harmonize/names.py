"""Applicant name normalisation: the text rules behind harmonisation.

Patent offices spell one applicant many ways: ``TENCENT TECH SHENZHEN CO LTD`` (DOCDB style),
``Tencent Technology (Shenzhen) Company Limited``, ``腾讯科技（深圳）有限公司``. Before names
can be compared they are brought to one form:

1. Unicode NFKC, so full-width CJK punctuation and Latin letters (``（深圳）``, ``ＩＢＭ``)
   become their ordinary forms; then case folding.
2. Location qualifiers in parentheses (``(Shenzhen)``, ``(深圳)``, ``(China)``) are dropped; a
   leading city that is part of the registered name (``Hangzhou Hikvision``) is kept.
3. Legal forms are stripped wherever they stand at the start or end of the name, in many
   languages (``Co., Ltd.``, ``GmbH``, ``S.A.``, ``Kabushiki Kaisha``, ``株式会社``,
   ``股份有限公司``, ``주식회사``, ``(주)``).
4. Punctuation becomes space (dots vanish, so ``S.A.`` → ``sa``, ``L.G.`` → ``lg``), ``&`` and
   ``and``, ``of``, ``the`` are dropped, and common abbreviations and variants are expanded
   (``Tech`` → ``technology``, ``Univ`` → ``university``, ``Sci`` → ``science``).

The result is the ``name_normalized`` column of ``applicant_groups``. Clustering and the
curated group patterns (``data/applicant_groups.yaml``) both work on it.
"""

from __future__ import annotations

import re
import unicodedata

#: Legal-form phrases, as token sequences after punctuation removal. Longest first when
#: matching. Sources: common company-form lists (e.g. the GLEIF Entity Legal Forms code list,
#: ISO 20275) reduced to the forms seen in patent applicant fields.
_LEGAL_FORMS_LATIN = [
    "co ltd", "company ltd", "company limited", "co limited", "corporation limited", "corp ltd",
    "pte ltd", "pty ltd", "pvt ltd", "private limited", "public limited company", "sdn bhd",
    "gmbh co kg", "gmbh co", "ag co kg", "co kg", "kabushiki kaisha", "kabushikikaisha",
    "kabushiki gaisha", "yugen kaisha", "godo kaisha", "limited liability company",
    "aktiengesellschaft", "gesellschaft mit beschrankter haftung", "societe anonyme", "sociedad anonima",
    "societa per azioni", "naamloze vennootschap", "besloten vennootschap", "public co", "pcl",
    "aktiebolag", "publ",
    "co inc", "co llc", "corp", "corporation", "inc", "incorporated", "llc", "llp", "lp", "ltd",
    "limited", "plc", "gmbh", "mbh", "ag", "kg", "sa", "sas", "sarl", "sasu", "sl", "sau", "spa",
    "srl", "bv", "nv", "kk", "oy", "oyj", "ab", "as", "asa", "aps", "se", "ltda", "bhd",
    "tbk", "jsc", "pjsc", "ooo", "oao", "zao", "kft", "sp z oo", "co", "company", "cie",
    "holdings", "holding", "group",
]
_LEGAL_FORMS_CJK = [
    "股份有限公司", "有限责任公司", "有限責任公司", "集团有限公司", "集團有限公司", "集团股份有限公司",
    "有限公司", "集团公司", "总公司", "公司", "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "주식회사", "유한회사", "유한책임회사", "(주)", "㈜", "(유)",
]

#: Parenthesised qualifiers that only say where a company sits (``Tencent Technology
#: (Shenzhen)``). Chinese provinces and large cities in Pinyin and Hanzi, plus countries.
LOCATIONS = {
    "beijing", "shanghai", "shenzhen", "guangzhou", "hangzhou", "nanjing", "wuhan", "chengdu",
    "chongqing", "tianjin", "suzhou", "xian", "xiamen", "qingdao", "dalian", "shenyang", "hefei",
    "jinan", "changsha", "zhuhai", "dongguan", "foshan", "ningbo", "fuzhou", "kunming", "harbin",
    "zhengzhou", "changchun", "nanchang", "guiyang", "nanning", "taiyuan", "shijiazhuang",
    "lanzhou", "urumqi", "hohhot", "haikou", "lhasa", "xining", "yinchuan", "wuxi", "hong kong",
    "hongkong", "macau", "macao", "taiwan", "taipei", "china", "prc", "guangdong", "zhejiang",
    "jiangsu", "shandong", "sichuan", "hubei", "hunan", "fujian", "anhui", "henan", "hebei",
    "liaoning", "jilin", "heilongjiang", "shaanxi", "shanxi", "yunnan", "guangxi", "jiangxi",
    "hainan", "gansu", "guizhou", "usa", "us", "america", "united states", "japan", "korea",
    "germany", "france", "uk", "india", "singapore", "europe", "international", "hk", "sz", "bj",
    "北京", "上海", "深圳", "广州", "杭州", "南京", "武汉", "成都", "重庆", "天津", "苏州", "西安", "厦门",
    "青岛", "大连", "沈阳", "合肥", "济南", "长沙", "珠海", "东莞", "佛山", "宁波", "福州", "中国", "香港",
    "无锡", "郑州", "广东", "浙江", "江苏", "山东", "四川", "湖北", "美国", "日本", "韩国", "北京市",
    "上海市", "深圳市",
}

#: Token variants → one spelling. Abbreviations as DOCDB and offices write them, plurals, and
#: British/American spellings.
TOKEN_VARIANTS = {
    "tech": "technology", "techn": "technology", "technol": "technology", "technologies": "technology",
    "techs": "technology", "univ": "university", "universities": "university", "inst": "institute",
    "institutes": "institute", "sci": "science", "sciences": "science", "acad": "academy",
    "res": "research", "intl": "international", "int": "international", "natl": "national",
    "nat": "national", "telecom": "telecommunications", "telecommunication": "telecommunications",
    "comm": "communication", "communications": "communication", "commun": "communication",
    "sys": "system", "syst": "system", "systems": "system", "mfg": "manufacturing", "ind": "industry",
    "industries": "industry", "industrial": "industry", "eng": "engineering", "dev": "development",
    "lab": "laboratory", "labs": "laboratory", "laboratories": "laboratory", "centre": "center",
    "ctr": "center", "elect": "electronics", "electron": "electronics", "electronic": "electronics",
    "netw": "network", "networks": "network", "info": "information", "inf": "information",
    "med": "medical", "mach": "machines", "machine": "machines", "softw": "software",
    "solutions": "solution", "services": "service", "products": "product", "svc": "service",
    "dept": "department", "gen": "general", "hosp": "hospital", "assoc": "association", "chem": "chemical",
    "chemicals": "chemical", "pharm": "pharmaceutical", "pharmaceuticals": "pharmaceutical",
    "mfr": "manufacturing", "instruments": "instrument", "devices": "device", "automotive": "automotive",
}
#: Not ``de``, ``du``, ``la``, ``le``: they are Pinyin syllables too (``An De Chen``).
_STOPWORDS = {"the", "of", "and", "for", "und", "des", "der", "et"}

#: Traditional → simplified Chinese for characters common in applicant names, so Taiwanese and
#: Hong Kong filings (華為技術, 浙江大學) meet mainland ones (华为技术, 浙江大学). Pairs from the
#: Unicode Unihan database (kSimplifiedVariant), restricted to characters seen in company,
#: university and institute names. Japanese kanji that share a traditional form (電, 機) are
#: mapped too, which is harmless: names are only compared, and 三菱電機/三菱电机 are one company.
_TRAD_SIMP = str.maketrans(
    "學國電華業機網東長發會銀達聯訊車體產資術開關門際實營廣場導藥醫療與樂農質態創動務劃區協團圖園"
    "書傳備儀優億價級紅約維線練經結絡統絲綠縣總織職聲興舉萬葉號蘇處衛製複見視規計設訂認語說調論證識"
    "護讀變貨貿費賽軍軟輕輸辦運遠適選郵鄉鋼錄鏈鐵閃間陽陸隊階隨險雙雜雲靈韓項頭顯風飛餘馬驅驗鬥魚"
    "鳥點齊龍氣漢為無燈愛慶應戰擊據數斷時條來極構標樣樹橋檢權歐歸測濟濱灣熱爾狀獎環現畫異當監盤礦"
    "碼確離種積穩競筆築節簡糧紀純細終組給絕繼續聖腦藝裝補觀訓詢試詳誠課請諾謀豐貝負財貫貴買購轉輪"
    "載輯連過遊鄭釋針銳錦鍵鎮鐘閱陳頂領頻顧館鴻麥黃廠億劑壓廳啟夢寧層屬峽嶺幣師幫庫彈徑從復憑擇擴"
    "擁擾攝歷殼氫決沖潔澤濤灑燒環療盡礎禮禦穀紡紗綜緒緣縮績繁罰羅聞肅膠臺艙蒼蓋蔣薦藍蟲規觸詞譯讓"
    "貢貼賓贊趙車軌軸輔輻轄辭邊鄰醬釀鈴銅鋁鋒錢錫鍊鎖鏡鑄閥闆隱雞雖電霧韋頁預頓頒顆類飲駐騰驗鬆鹽"
    "麼龐龜",
    "学国电华业机网东长发会银达联讯车体产资术开关门际实营广场导药医疗与乐农质态创动务划区协团图园"
    "书传备仪优亿价级红约维线练经结络统丝绿县总织职声兴举万叶号苏处卫制复见视规计设订认语说调论证识"
    "护读变货贸费赛军软轻输办运远适选邮乡钢录链铁闪间阳陆队阶随险双杂云灵韩项头显风飞余马驱验斗鱼"
    "鸟点齐龙气汉为无灯爱庆应战击据数断时条来极构标样树桥检权欧归测济滨湾热尔状奖环现画异当监盘矿"
    "码确离种积稳竞笔筑节简粮纪纯细终组给绝继续圣脑艺装补观训询试详诚课请诺谋丰贝负财贯贵买购转轮"
    "载辑连过游郑释针锐锦键镇钟阅陈顶领频顾馆鸿麦黄厂亿剂压厅启梦宁层属峡岭币师帮库弹径从复凭择扩"
    "拥扰摄历壳氢决冲洁泽涛洒烧环疗尽础礼御谷纺纱综绪缘缩绩繁罚罗闻肃胶台舱苍盖蒋荐蓝虫规触词译让"
    "贡贴宾赞赵车轨轴辅辐辖辞边邻酱酿铃铜铝锋钱锡炼锁镜铸阀板隐鸡虽电雾韦页预顿颁颗类饮驻腾验松盐"
    "么庞龟",
)
#: Where Latin letters meet CJK (``LG전자``, ``NECソリューション``) a space, so word patterns match.
_SCRIPT_BOUNDARY_RE = re.compile(
    r"(?<=[a-z0-9])(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])(?=[a-z0-9])")

_PAREN_RE = re.compile(r"\(([^()]*)\)")
_PUNCT_RE = re.compile(r"[^\w\s]|_")
_SPACE_RE = re.compile(r"\s+")
_LATIN_FORMS = sorted((tuple(f.split()) for f in _LEGAL_FORMS_LATIN), key=len, reverse=True)
_LATIN_FORM_SET = set(_LATIN_FORMS)
_FORMS_BY_LAST: dict[str, list[tuple[str, ...]]] = {}
for _form in _LATIN_FORMS:  # longest first, as sorted above
    _FORMS_BY_LAST.setdefault(_form[-1], []).append(_form)
_CJK_FORMS = sorted(_LEGAL_FORMS_CJK, key=len, reverse=True)


#: Han, kana, Hangul (syllables and jamo), CJK compatibility ideographs.
_CJK_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def _drop_qualifiers(text: str) -> str:
    """Remove ``(Shenzhen)``, ``(주)``-style parentheticals; unwrap any other parenthesis."""

    def replace(match: re.Match) -> str:
        inner = match.group(1).strip()
        bare = _SPACE_RE.sub(" ", _PUNCT_RE.sub(" ", inner)).strip()
        if bare in LOCATIONS or inner in _LEGAL_FORMS_CJK or f"({inner})" in _LEGAL_FORMS_CJK:
            return " "
        if tuple(bare.split()) in _LATIN_FORM_SET:  # (Ltd.), (publ)
            return " "
        return f" {inner} "

    previous = None
    while previous != text:
        previous, text = text, _PAREN_RE.sub(replace, text)
    return text.replace("(", " ").replace(")", " ")


def _strip_cjk_forms(text: str) -> str:
    """Strip CJK legal forms at the start or end (``株式会社日立製作所``, ``华为技术有限公司``)."""
    changed = True
    while changed:
        changed = False
        stripped = text.strip()
        for form in _CJK_FORMS:
            if stripped.endswith(form) and len(stripped) > len(form):
                text, changed = stripped[: -len(form)], True
                break
            if stripped.startswith(form) and len(stripped) > len(form):
                text, changed = stripped[len(form):], True
                break
    return text.strip()


def _strip_legal_tokens(tokens: list[str]) -> list[str]:
    """Drop legal-form token sequences at either end, repeatedly (``gmbh co kg``, ``co ltd``).

    A name is never stripped to nothing: ``Company`` alone stays ``company``.
    """
    changed = True
    while changed and tokens:
        changed = False
        for form in _FORMS_BY_LAST.get(tokens[-1], ()):
            n = len(form)
            if len(tokens) > n and tuple(tokens[-n:]) == form:
                tokens, changed = tokens[:-n], True
                break
        if not changed and tokens[0] in ("kabushiki", "kabushikikaisha"):
            for form in _LATIN_FORMS:
                n = len(form)
                if form[0] == tokens[0] and len(tokens) > n and tuple(tokens[:n]) == form:
                    tokens, changed = tokens[n:], True
                    break
    return tokens


def normalize_name(name: str | None) -> str:
    """The comparable form of an applicant name (see the module docstring). ``''`` for empty."""
    if not name:
        return ""
    text = _fold_latin_accents(unicodedata.normalize("NFKC", str(name)).casefold())
    text = simplify_chinese(text)
    text = re.sub(r"\.com\b", " com", text)  # Baidu.com, Amazon.com: not "baiducom"
    text = text.replace("&", " and ").replace("'", "").replace("’", "").replace(".", "")
    text = _drop_qualifiers(text)
    text = _strip_cjk_forms(text)
    text = _PUNCT_RE.sub(" ", text.replace("a/s", "as"))
    text = _SCRIPT_BOUNDARY_RE.sub(" ", text)
    tokens = [t for t in _SPACE_RE.split(text) if t]
    tokens = _strip_legal_tokens(tokens)
    tokens = [TOKEN_VARIANTS.get(t, t) for t in tokens if t not in _STOPWORDS]
    tokens = _strip_legal_tokens(tokens)
    tokens = _strip_wrappers(tokens)
    if len(tokens) >= 3 and tokens[-1] in LOCATIONS:  # DOCDB: TENCENT TECH SHENZHEN CO LTD
        tokens = _strip_legal_tokens(tokens[:-1])
    result = " ".join(tokens)
    if has_cjk(result):
        result = _strip_cjk_forms(result.replace(" ", "")) if _only_cjk_tokens(tokens) else result
    return result


#: Legal wrappers of US universities: ``Regents of the University of California`` is the
#: University of California as an applicant. Matched after stopwords are dropped.
_WRAPPERS = [("board", "regents"), ("board", "trustees"), ("regents",), ("trustees",), ("president", "fellows")]


def _strip_wrappers(tokens: list[str]) -> list[str]:
    for wrapper in _WRAPPERS:
        n = len(wrapper)
        if len(tokens) > n + 1 and tuple(tokens[:n]) == wrapper:
            return tokens[n:]
    return tokens


def simplify_chinese(text: str) -> str:
    """Traditional Chinese characters of ``_TRAD_SIMP`` → simplified (also used on patterns)."""
    return text.translate(_TRAD_SIMP)


def _fold_latin_accents(text: str) -> str:
    """``société`` → ``societe``, leaving Hangul and kana (whose decompositions matter) alone."""
    out = []
    for ch in text:
        if 0xC0 <= ord(ch) < 0x250:
            ch = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(ch)
    return "".join(out)


def _only_cjk_tokens(tokens: list[str]) -> bool:
    return all(has_cjk(t) for t in tokens)


def compact(normalized: str) -> str:
    """The normalised name without spaces: ``jiao tong`` and ``jiaotong`` meet here."""
    return normalized.replace(" ", "")


#: Words too common to block on: blocking on them would put most names into one block.
GENERIC_TOKENS = {
    "university", "technology", "institute", "science", "research", "academy", "company", "center",
    "laboratory", "national", "international", "system", "electronics", "information", "network",
    "industry", "engineering", "development", "communication", "telecommunications", "electric",
    "china", "chinese", "state", "college", "school", "hospital", "software", "service", "solution",
    "new", "first", "general", "global", "group", "power", "energy", "medical", "digital",
    "intelligent", "intelligence", "smart", "data", "cloud", "internet", "computer", "computing",
} | LOCATIONS


def blocking_keys(normalized: str) -> set[str]:
    """Keys that put likely variants of one applicant into the same comparison block.

    Three keys: the first distinctive token (skipping city prefixes and generic words, so
    ``beijing baidu netcom`` and ``baidu online`` meet on ``baidu``); all distinctive tokens
    run together (so ``univ shanghai jiaotong`` and ``shanghai jiao tong university`` meet on
    ``jiaotong``); and the first characters of those words run together, or for CJK of the name
    after a leading city (so Pinyin spacing variants and CJK names meet). No key starts with a
    city or a generic word, so ``beijing ...`` does not make one block of all Beijing firms.
    """
    keys = set()
    tokens = normalized.split()
    core = [t for t in tokens if t not in GENERIC_TOKENS]
    if core:
        keys.add("t:" + core[0])
        keys.add("n:" + "".join(core))
    flat = compact(normalized)
    if has_cjk(flat[:2]):
        for place in _CJK_LOCATIONS:  # 北京百度网讯科技 and 百度在线 meet on 百度
            if flat.startswith(place) and len(flat) > len(place) + 1:
                flat = flat[len(place):]
                break
        keys.add("c:" + flat[:2])
    elif flat:  # Pinyin spacing: jiao tong / jiaotong, bei hang / beihang meet on the core
        keys.add("c:" + ("".join(core) or flat)[:4])
    return keys


_CJK_LOCATIONS = sorted((p for p in LOCATIONS if has_cjk(p)), key=len, reverse=True)
