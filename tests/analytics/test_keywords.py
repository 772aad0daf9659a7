from huhang.analytics.keywords import keyword_terms


def test_lists_are_cut_at_separators_and_deng():
    terms = keyword_terms("高端路由器、单槽位处理路由器等其他计算机制造；新一代移动通信基站设备制造。")
    assert terms == [("高端路由器",), ("单槽位处理路由器",), ("计算机",), ("新一代移动通信基站",)]


def test_generic_activity_words_are_dropped_and_related_keyword_phrases_read():
    assert keyword_terms("稀土相关关键词。") == [("稀土",)]
    assert keyword_terms("汽车相关关键词。") == [("汽车",)]
    assert keyword_terms("产品相关关键词。") == []


def test_plasma_is_not_cut_at_its_deng():
    assert ("等离子喷涂",) in keyword_terms("等离子喷涂与热喷镀粉及丝材；其他硬质合金。")


def test_ji_qi_keeps_the_head_and_bu_bao_he_stays_whole():
    assert keyword_terms("聚氟乙烯及其改性、氟橡胶") == [("聚氟乙烯",), ("氟橡胶",)]
    assert ("不饱和聚酯",) in keyword_terms("聚丁二酸丁二醇酯、不饱和聚酯")


def test_exclusions_read_the_excluded_thing_and_de_becomes_a_conjunction():
    assert keyword_terms("不包括航天相关设备制造。", exclusion=True) == [("航天",)]
    assert keyword_terms("不包含非机动车。", exclusion=True) == [("非机动车",)]
    assert keyword_terms("不包括连续纤维改性的ABS。", exclusion=True) == [("连续纤维改性", "abs")]


def test_single_characters_only_when_listed_alone():
    assert keyword_terms("烯。") == []  # a fragment of a line broken by the source PDF
    terms = keyword_terms("高品质钴、铍、铟、钒加工材，新型航空钛合金材料。")
    assert ("铍",) in terms and ("铟",) in terms
    assert ("航空钛合金",) in terms


def test_spaces_from_the_pdf_are_removed_and_latin_is_lower_case():
    assert ("igbt生产线设备",) in keyword_terms("集成电路生产线设备、IGBT 生产线设备等半导体器件专用设备制造")


def test_a_suffix_is_kept_when_only_one_character_would_remain():
    assert keyword_terms("超材料。") == [("超材料",)]
