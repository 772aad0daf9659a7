"""Vocabulary of the demo data: name parts, technical terms, IPC codes and Nice classes per industry chain.

Every word list here was written for the demo; combinations produce plausible Chinese names and titles,
and every organisation or person name gets :data:`DEMO_SUFFIX` so that nobody mistakes it for a real one.

Plain Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DEMO_SUFFIX: Final = "（演示）"


@dataclass(frozen=True)
class ChainWords:
    """Words of one industry chain (or of general industry, for enterprises outside the key chains)."""

    business: tuple[str, ...]  # what an enterprise name says it does
    objects: tuple[str, ...]  # things an invention or utility model is about
    modifiers: tuple[str, ...]
    processes: tuple[str, ...]  # method claims: "…的{process}方法"
    designs: tuple[str, ...]  # products of design patents
    ipc: tuple[str, ...]  # IPC subgroups that fit the chain
    nice: tuple[int, ...]  # Nice classes its trademarks fall in
    software: tuple[str, ...]
    secrets: tuple[str, ...]  # kinds of technical information held as trade secrets (never the content)
    datasets: tuple[str, ...]
    expert_fields: str


CHAINS: Final[dict[str, ChainWords]] = {
    "KC-OPTO": ChainWords(
        business=("光电科技", "激光技术", "光通信技术", "光纤传感", "光电子", "显示技术"),
        objects=(
            "半导体激光器",
            "光纤光栅传感器",
            "硅基光电探测器",
            "光模块",
            "激光切割头",
            "光纤放大器",
            "Micro LED显示面板",
            "光通信收发器",
            "红外热像仪",
            "光学镜头",
        ),
        modifiers=("高功率", "窄线宽", "低噪声", "可调谐", "集成式", "大视场", "高速", "耐高温"),
        processes=("封装", "耦合对准", "制备", "温度补偿", "光路校准"),
        designs=("激光测距仪", "光纤熔接机", "红外测温仪", "激光投影仪", "光模块外壳"),
        ipc=(
            "H01S5/024",
            "H01S3/067",
            "G02B6/42",
            "H04B10/50",
            "H01L31/0232",
            "G02F1/13",
            "B23K26/38",
            "G01J5/00",
            "H01L33/00",
        ),
        nice=(9, 42, 40),
        software=("光模块自动测试系统", "激光加工路径规划软件", "光纤网络运维管理平台", "红外图像分析软件"),
        secrets=("激光器腔体装调工艺参数", "光纤拉制温度曲线", "光模块老化筛选规程"),
        datasets=("光纤网络运行监测数据集", "激光加工工艺数据集"),
        expert_fields="光电子；激光；光通信（H01S、G02B、H04B）",
    ),
    "KC-IC": ChainWords(
        business=("半导体", "集成电路设计", "芯片科技", "微电子", "存储科技"),
        objects=(
            "三维存储器",
            "功率半导体器件",
            "射频前端芯片",
            "模数转换电路",
            "封装基板",
            "静电保护电路",
            "锁相环电路",
            "晶圆键合结构",
        ),
        modifiers=("低功耗", "高可靠性", "抗辐照", "高密度", "宽禁带", "自适应"),
        processes=("刻蚀", "薄膜沉积", "晶圆减薄", "测试", "封装"),
        designs=("芯片测试座", "晶圆载具", "存储卡"),
        ipc=("H01L21/02", "H01L23/48", "H01L27/02", "G11C16/04", "H03K19/00", "H10B43/27", "H03M1/12"),
        nice=(9, 42),
        software=("芯片版图验证工具", "晶圆缺陷检测软件", "EDA仿真调度系统"),
        secrets=("刻蚀工艺配方", "良率提升工艺窗口", "版图设计规则库"),
        datasets=("晶圆测试良率数据集", "芯片失效分析数据集"),
        expert_fields="集成电路；半导体工艺（H01L、G11C、H03K）",
    ),
    "KC-AUTO": ChainWords(
        business=("汽车零部件", "新能源汽车技术", "智能网联科技", "动力电池", "汽车电子"),
        objects=(
            "动力电池包",
            "电池管理系统",
            "电驱动总成",
            "车载充电机",
            "线控制动系统",
            "热管理系统",
            "车道保持控制器",
            "毫米波雷达支架",
        ),
        modifiers=("轻量化", "高能量密度", "液冷式", "一体化", "冗余式", "快充型"),
        processes=("均衡控制", "故障诊断", "路径规划", "装配", "热失控预警"),
        designs=("汽车前大灯", "充电桩", "车载中控屏", "汽车轮毂", "电动汽车"),
        ipc=(
            "B60L53/00",
            "H01M10/42",
            "B60W30/09",
            "B62D15/02",
            "H01M50/20",
            "G08G1/16",
            "B60L58/12",
            "F16H57/02",
        ),
        nice=(12, 37, 9),
        software=("电池管理系统仿真软件", "车联网远程监控平台", "自动驾驶数据标注工具"),
        secrets=("电池包热管理标定参数", "整车控制策略标定数据", "供应商采购价格体系"),
        datasets=("新能源汽车电池运行数据集", "智能网联汽车道路测试数据集"),
        expert_fields="新能源汽车；动力电池；智能网联（B60L、H01M、B60W）",
    ),
    "KC-BIO": ChainWords(
        business=("生物医药", "生物科技", "医疗器械", "基因技术", "药业"),
        objects=(
            "单克隆抗体",
            "核酸检测试剂盒",
            "mRNA疫苗递送载体",
            "药物缓释微球",
            "医用导管",
            "肿瘤标志物检测芯片",
            "重组蛋白",
            "植入式心脏起搏器",
        ),
        modifiers=("靶向", "高特异性", "可降解", "长效", "便携式", "多重"),
        processes=("纯化", "制备", "检测", "冻干", "发酵"),
        designs=("血糖仪", "输液泵", "医用口罩", "采样管", "护理床"),
        ipc=(
            "A61K39/395",
            "C12N15/11",
            "A61K31/00",
            "C12Q1/68",
            "G01N33/53",
            "A61B5/00",
            "A61M25/00",
            "C07K16/28",
        ),
        nice=(5, 10, 44),
        software=("医学影像辅助诊断软件", "临床试验数据管理系统", "基因测序分析软件"),
        secrets=("菌种培养条件", "抗体纯化工艺参数", "临床试验患者招募渠道"),
        datasets=("脱敏医学影像数据集", "基因组变异注释数据集"),
        expert_fields="生物医药；医疗器械（A61K、C12N、A61B）",
    ),
    "KC-EQUIP": ChainWords(
        business=("智能装备", "数控机床", "机器人", "重工科技", "精密机械"),
        objects=(
            "工业机器人关节",
            "数控机床主轴",
            "自动化装配线",
            "盾构机刀盘",
            "精密减速器",
            "智能仓储穿梭车",
            "焊接机器人",
            "桥式起重机",
        ),
        modifiers=("高精度", "重载", "柔性", "模块化", "智能", "防爆"),
        processes=("标定", "故障预测", "装配", "焊接", "检测"),
        designs=("工业机器人", "数控机床防护罩", "AGV小车", "焊接面罩"),
        ipc=("B25J9/16", "B23Q3/06", "G05B19/418", "B21D28/00", "F16H1/32", "B66C13/48", "E21D9/08"),
        nice=(7, 37, 42),
        software=("数控系统仿真软件", "设备预测性维护平台", "产线数字孪生系统"),
        secrets=("减速器齿形修形参数", "热处理工艺曲线", "重点客户名单"),
        datasets=("数控机床运行状态数据集", "工业机器人故障数据集"),
        expert_fields="高端装备；机器人；机械工程（B25J、B23Q、G05B）",
    ),
    "KC-AI": ChainWords(
        business=("人工智能", "软件技术", "数据科技", "网络科技", "信息技术"),
        objects=(
            "图像识别模型",
            "语音交互终端",
            "知识图谱构建系统",
            "推荐系统",
            "边缘计算网关",
            "分布式存储系统",
            "大语言模型推理装置",
            "目标检测网络",
        ),
        modifiers=("轻量化", "多模态", "联邦学习", "自监督", "低延时", "可解释"),
        processes=("训练", "推理加速", "数据清洗", "任务调度", "异常检测"),
        designs=("智能音箱", "服务机器人", "显示屏的图形用户界面"),
        ipc=("G06N3/08", "G06F16/33", "G06V10/82", "G06Q10/06", "H04L67/10", "G10L15/22", "G06F9/50"),
        nice=(9, 42, 35),
        software=("智能客服系统", "政务数据共享平台", "视频结构化分析软件", "知识产权检索分析系统"),
        secrets=("模型训练超参数与数据配比", "源代码未公开部分", "客户需求与报价数据库"),
        datasets=("城市交通视频标注数据集", "中文客服对话语料"),
        expert_fields="人工智能；软件；数据处理（G06N、G06F、G06V）",
    ),
    "KC-BDS": ChainWords(
        business=("北斗导航", "卫星应用", "空间信息", "测绘科技"),
        objects=(
            "北斗高精度定位终端",
            "GNSS接收机",
            "组合导航模块",
            "卫星授时装置",
            "形变监测站",
            "车载定位天线",
        ),
        modifiers=("厘米级", "抗干扰", "低功耗", "多频多模", "实时动态"),
        processes=("定位解算", "差分改正", "完好性监测", "授时校准"),
        designs=("北斗手持终端", "测量型天线", "定位手环"),
        ipc=("G01S19/42", "G01S19/39", "G01C21/34", "H04W4/02", "G08G1/123", "G04R20/02"),
        nice=(9, 42),
        software=("北斗位置服务平台", "变形监测数据处理软件", "车辆轨迹管理系统"),
        secrets=("高精度定位解算算法参数", "基准站网络布设方案"),
        datasets=("北斗定位轨迹数据集", "地表形变监测数据集"),
        expert_fields="卫星导航；测绘（G01S、G01C）",
    ),
    "KC-MAT": ChainWords(
        business=("新材料", "化工科技", "复合材料", "钢铁科技", "纳米材料"),
        objects=(
            "石墨烯导热膜",
            "高强度钢板",
            "碳纤维复合材料",
            "陶瓷基板",
            "可降解塑料",
            "锂电池隔膜",
            "耐腐蚀涂层",
        ),
        modifiers=("高导热", "高强韧", "轻质", "耐高温", "环保型", "阻燃"),
        processes=("制备", "表面改性", "热处理", "涂覆", "回收"),
        designs=("复合地板", "保温杯", "包装瓶"),
        ipc=("C01B32/184", "C22C38/02", "C08J5/18", "C04B35/10", "C08L23/06", "C09D5/08", "H01M50/403"),
        nice=(1, 17, 19, 6),
        software=("材料配方管理系统", "钢材质量追溯平台"),
        secrets=("涂层配方", "烧结工艺窗口", "原料供应商名录"),
        datasets=("材料性能测试数据集",),
        expert_fields="新材料；化工；冶金（C01B、C22C、C08J）",
    ),
    "GENERAL": ChainWords(
        business=("商贸", "文化传媒", "农业科技", "食品", "服饰", "建设工程", "物流", "企业管理咨询", "家居"),
        objects=(
            "包装盒",
            "输送装置",
            "食品保鲜柜",
            "折叠桌",
            "茶叶烘干机",
            "服装熨烫装置",
            "灌溉装置",
            "建筑模板",
        ),
        modifiers=("便携式", "节能", "可折叠", "自动", "多功能", "环保"),
        processes=("加工", "保鲜", "烘焙", "装配"),
        designs=("茶叶包装盒", "礼品盒", "手提袋", "灯具", "椅子", "服装（汉绣）"),
        ipc=("B65D5/42", "A23F3/06", "A47B3/00", "B65G21/20", "A01G25/02", "D06F71/00", "E04G9/02"),
        nice=(30, 25, 29, 35, 43, 20, 16, 41, 39, 31),
        software=("进销存管理系统", "门店会员管理小程序", "农产品溯源平台"),
        secrets=("产品配方", "客户名单", "经营策略与定价方案"),
        datasets=("门店销售数据集", "农产品价格监测数据集"),
        expert_fields="机械；食品；商标与品牌",
    ),
}

# Sections of GB/T 4754 an enterprise outside the key chains falls in, with weights.
GENERAL_SECTIONS: Final = (
    ("C", 34),
    ("I", 14),
    ("M", 12),
    ("F", 14),
    ("L", 8),
    ("R", 6),
    ("A", 4),
    ("E", 4),
    ("G", 4),
)

TRADE_NAME_CHARS: Final = tuple(
    "星辰华瑞楚江汉光谷鑫泰博源达信联恒通睿芯川晴东湖长青新锐宏远盛安卓创嘉禾启明凌云天宇鼎晟航拓誉德润昊盈峰驰"
    "弘海诺越和晶灵思捷讯科众兴荣晖睿锦"
)
COMPANY_FORMS: Final = (("有限公司", 70), ("股份有限公司", 12), ("有限责任公司", 18))
SURNAMES: Final = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余")
GIVEN_CHARS: Final = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲鹏飞晨宇欣怡浩然子涵思雨嘉"
)
PLACE_WORDS: Final = (
    "江城",
    "楚天",
    "东湖",
    "晴川",
    "黄鹤",
    "南湖",
    "沙湖",
    "汤逊湖",
    "木兰",
    "花山",
    "龙泉",
    "白沙洲",
)
UNIVERSITY_FIELDS: Final = ("理工", "科技", "光电", "医科", "工程", "师范", "财经", "交通", "信息", "农业")
UNIVERSITY_TYPES: Final = ("大学", "学院", "职业技术学院")
INSTITUTE_TYPES: Final = ("研究院", "研究所", "产业技术研究院", "工程技术研究中心")
PUBLIC_INSTITUTIONS: Final = (
    "生产力促进中心",
    "科技成果转化中心",
    "产品质量检验中心",
    "科技信息研究所",
    "技术转移中心",
)
SOCIAL_ORGANISATIONS: Final = ("行业协会", "产业联盟", "知识产权联合会", "商会", "专利协会")
ROADS: Final = (
    "科技路",
    "创新大道",
    "光谷大道",
    "高新大道",
    "工业路",
    "发展大道",
    "学府路",
    "江滨路",
    "未来大道",
)
PROFESSIONAL_TITLES: Final = (
    "教授",
    "研究员",
    "正高级工程师",
    "高级工程师",
    "副教授",
    "副研究员",
    "主任医师",
)
WORK_SUBJECTS: Final = (
    "江城晨曦",
    "东湖春色",
    "长江印象",
    "黄鹤楼下",
    "楚韵",
    "汉口旧影",
    "光谷之夜",
    "樱花季",
)
TRADE_SECRET_MEASURES: Final = (
    "与接触人员签订保密协议和竞业限制协议；涉密资料分级存放并加密；研发网络与外网物理隔离。",
    "设立保密管理制度和涉密区域门禁；访问留痕并定期审计；离职人员脱密期管理。",
    "核心资料仅限项目组访问；文件加水印；外发须审批；供应商签订保密条款。",
)
GOODS: Final[dict[int, str]] = {
    1: "工业用化学品；石墨烯；工业用胶",
    5: "药品；医用诊断制剂；疫苗",
    6: "普通金属合金；金属板材",
    7: "工业机器人；机床；减速机",
    9: "激光器；光通信设备；集成电路；计算机软件；导航仪器",
    10: "医疗器械；医用导管；血糖仪",
    12: "电动汽车；汽车零部件；车辆轮毂",
    16: "纸制包装材料；印刷品",
    17: "塑料薄膜；绝缘材料",
    19: "非金属建筑材料；复合地板",
    20: "家具；塑料容器",
    25: "服装；鞋；帽",
    29: "肉制品；加工过的蔬菜；藕粉",
    30: "茶；糕点；调味品",
    31: "新鲜水果；活鱼",
    35: "广告；替他人推销；进出口代理",
    37: "机动车保养和修理；充电站服务",
    39: "运输；仓储；物流",
    40: "激光加工；材料处理",
    41: "培训；组织展览；出版",
    42: "技术研究；软件设计；集成电路设计",
    43: "餐馆；住所代理",
    44: "医疗服务；医疗诊所",
}
