"""Reference rows every instance starts with: Wuhan's districts and functional zones, and industries.

Districts carry their GB/T 2260 codes; functional zones have none, so they get codes of our own.
Industries are the sections of GB/T 4754-2017 and the key industry chains of the city's plans.
"""

WUHAN_DISTRICTS = [
    ("420102", "江岸区", "Jiang'an District"),
    ("420103", "江汉区", "Jianghan District"),
    ("420104", "硚口区", "Qiaokou District"),
    ("420105", "汉阳区", "Hanyang District"),
    ("420106", "武昌区", "Wuchang District"),
    ("420107", "青山区", "Qingshan District"),
    ("420111", "洪山区", "Hongshan District"),
    ("420112", "东西湖区", "Dongxihu District"),
    ("420113", "汉南区", "Hannan District"),
    ("420114", "蔡甸区", "Caidian District"),
    ("420115", "江夏区", "Jiangxia District"),
    ("420116", "黄陂区", "Huangpi District"),
    ("420117", "新洲区", "Xinzhou District"),
]

WUHAN_FUNCTIONAL_ZONES = [
    ("WH-EHT", "东湖新技术开发区", "East Lake High-tech Development Zone"),
    ("WH-WEDZ", "武汉经济技术开发区", "Wuhan Economic and Technological Development Zone"),
    ("WH-CJXQ", "长江新区", "Changjiang New Area"),
    ("WH-EHSA", "东湖生态旅游风景区", "East Lake Ecological Scenic Area"),
]

GBT4754_SECTIONS = [
    ("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    ("B", "采矿业", "Mining"),
    ("C", "制造业", "Manufacturing"),
    ("D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    ("E", "建筑业", "Construction"),
    ("F", "批发和零售业", "Wholesale and retail trade"),
    ("G", "交通运输、仓储和邮政业", "Transport, storage and postal services"),
    ("H", "住宿和餐饮业", "Accommodation and catering"),
    ("I", "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    ("J", "金融业", "Finance"),
    ("K", "房地产业", "Real estate"),
    ("L", "租赁和商务服务业", "Leasing and business services"),
    ("M", "科学研究和技术服务业", "Scientific research and technical services"),
    ("N", "水利、环境和公共设施管理业", "Water conservancy, environment and public facilities"),
    ("O", "居民服务、修理和其他服务业", "Resident, repair and other services"),
    ("P", "教育", "Education"),
    ("Q", "卫生和社会工作", "Health and social work"),
    ("R", "文化、体育和娱乐业", "Culture, sports and entertainment"),
    ("S", "公共管理、社会保障和社会组织", "Public administration, social security and organisations"),
    ("T", "国际组织", "International organisations"),
]

KEY_INDUSTRY_CHAINS = [
    ("KC-OPTO", "光电子信息", "Optoelectronics and information"),
    ("KC-AUTO", "新能源与智能网联汽车", "New-energy and connected vehicles"),
    ("KC-BIO", "大健康和生物技术", "Health and biotechnology"),
    ("KC-EQUIP", "高端装备制造", "High-end equipment"),
    ("KC-IC", "集成电路", "Integrated circuits"),
    ("KC-AI", "人工智能与软件", "Artificial intelligence and software"),
    ("KC-BDS", "北斗及应用", "BeiDou navigation and applications"),
    ("KC-MAT", "新材料", "New materials"),
]


def load_reference_rows(District, Industry) -> None:
    """Create or refresh the reference rows; safe to run again."""
    for rows, kind in ((WUHAN_DISTRICTS, "district"), (WUHAN_FUNCTIONAL_ZONES, "functional_zone")):
        for code, zh, en in rows:
            District.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "kind": kind})
    for rows, key in ((GBT4754_SECTIONS, False), (KEY_INDUSTRY_CHAINS, True)):
        for code, zh, en in rows:
            Industry.objects.update_or_create(
                code=code, defaults={"name_zh": zh, "name_en": en, "is_key_chain": key}
            )
