"""Finding templates for demo data: realistic hazards (隐患) as Chinese safety inspections record them.

Each template: category, nature, level, title (≤ 40 characters), description, measures (what the
enterprise writes when rectifying). Major ones carry `major_basis` {criterion, clause}: the clause
numbers are plausible demo citations, not a legal reference.
"""

CATEGORIES: dict[str, str] = {
    "fire": "消防安全",
    "electrical": "电气安全",
    "hazchem": "危险化学品",
    "confined_space": "有限空间",
    "special_equipment": "特种设备",
    "construction": "建筑施工",
    "gas": "城镇燃气",
    "dust": "粉尘防爆",
    "machinery": "机械设备",
    "management": "安全管理",
    "other": "其他",
}

NATURES: dict[str, str] = {
    "unsafe_condition": "物的不安全状态",
    "unsafe_act": "人的不安全行为",
    "management_defect": "管理缺陷",
}

LEVELS: dict[str, str] = {"general": "一般", "major": "重大"}

MAJOR_CRITERIA: dict[str, str] = {
    "gongmao_2023": "工贸企业重大事故隐患判定标准（应急管理部令第10号）",
    "chem_2017": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（安监总管三〔2017〕121号）",
    "fire_gb35181": "重大火灾隐患判定规则（GB 35181-2025）",
    "special_eq_gb45067": "特种设备重大事故隐患判定准则（GB 45067-2024）",
    "gas_2023": "城镇燃气经营安全重大隐患判定标准（建城规〔2023〕4号）",
    "housing_2024": "房屋市政工程生产安全重大事故隐患判定标准（2024版）（建质规〔2024〕5号）",
}

# fmt: off
TEMPLATES: list[dict] = [
    # ---- fire 消防安全
    {
        "category": "fire", "nature": "unsafe_condition", "level": "general",
        "title": "消防通道被货物堵塞",
        "description": "仓库东侧消防车通道堆放成品货物约20平方米，通道净宽不足4米，影响消防车通行。",
        "measures": "已清理通道内全部货物，施划消防车通道标线并设置禁止占用标识，由仓库管理员每日巡查。",
    },
    {
        "category": "fire", "nature": "unsafe_condition", "level": "general",
        "title": "安全出口上锁、疏散通道堆放杂物",
        "description": "二楼西侧安全出口门被链条锁锁闭，疏散走道内堆放纸箱和废旧桌椅，火灾时无法及时疏散。",
        "measures": "已拆除链条锁并更换为推闩式安全出口门锁，清除走道杂物，将安全出口纳入每日防火巡查内容。",
    },
    {
        "category": "fire", "nature": "unsafe_condition", "level": "general",
        "title": "灭火器压力不足、超期未检",
        "description": "车间配置的6具干粉灭火器中有3具压力表指针处于红区，且标签显示已超过检修期限。",
        "measures": "已委托有资质的维修单位检修充装灭火器，更换不合格灭火器，并建立灭火器月度检查记录。",
    },
    {
        "category": "fire", "nature": "unsafe_condition", "level": "general",
        "title": "应急照明和疏散指示标志损坏",
        "description": "一楼大厅及楼梯间共4处应急照明灯断电测试不亮，2处疏散指示标志脱落。",
        "measures": "已更换损坏的应急照明灯和疏散指示标志，并每月进行一次断电功能测试并记录。",
    },
    {
        "category": "fire", "nature": "management_defect", "level": "major",
        "title": "易燃品仓库与员工宿舍设在同一建筑内",
        "description": "油漆、稀释剂等易燃液体仓库设在厂房一层，二层设有员工宿舍，约30人居住，且无防火分隔。",
        "measures": "已将员工全部搬迁至厂外宿舍并拆除宿舍设施，易燃液体转移至独立的甲类仓库存放。",
        "major_basis": {"criterion": "fire_gb35181", "clause": "第5.2条"},
    },
    {
        "category": "fire", "nature": "unsafe_act", "level": "general",
        "title": "员工在生产车间内吸烟",
        "description": "检查时发现包装车间内有员工吸烟，地面有烟头，车间内堆放大量纸箱等可燃物。",
        "measures": "已对当事员工进行教育和处罚，车间内张贴禁烟标志，在厂区外设置固定吸烟点。",
    },
    # ---- electrical 电气安全
    {
        "category": "electrical", "nature": "unsafe_condition", "level": "general",
        "title": "配电箱未接地、箱门缺失",
        "description": "车间2号配电箱金属外壳未做保护接地，箱门缺失，内部带电部位直接裸露。",
        "measures": "已由持证电工为配电箱加装保护接地线并安装箱门、门锁，张贴有电危险警示标识。",
    },
    {
        "category": "electrical", "nature": "unsafe_condition", "level": "general",
        "title": "私拉乱接临时电线",
        "description": "仓库内从插座私拉电线为照明灯供电，电线直接敷设在货架上，无穿管保护，接头用胶布缠绕。",
        "measures": "已拆除私拉电线，由电工按规范穿管敷设照明线路，并明确临时用电须经审批。",
    },
    {
        "category": "electrical", "nature": "unsafe_act", "level": "general",
        "title": "电动自行车在楼道内停放充电",
        "description": "员工宿舍楼一楼楼道内停放5辆电动自行车，通过飞线从室内插座充电。",
        "measures": "已清理楼道内电动自行车，在室外设置集中停放充电棚并安装智能充电桩，禁止入户充电。",
    },
    {
        "category": "electrical", "nature": "unsafe_condition", "level": "general",
        "title": "漏电保护器失效",
        "description": "机加工车间总配电箱内漏电保护器按试验按钮不动作，末端用电设备失去漏电保护。",
        "measures": "已更换漏电保护器并测试动作正常，将漏电保护器每月试跳纳入电气设备点检表。",
    },
    {
        "category": "electrical", "nature": "unsafe_act", "level": "general",
        "title": "非电工人员擅自维修电气线路",
        "description": "一名无电工作业证的设备操作工自行打开控制柜维修接线，未停电、未挂牌。",
        "measures": "已对该员工进行安全教育，重申电气维修须由持证电工停电挂牌作业，并修订电气维修制度。",
    },
    # ---- hazchem 危险化学品
    {
        "category": "hazchem", "nature": "unsafe_condition", "level": "major",
        "title": "氧化剂与易燃液体在同一仓库混存",
        "description": "危化品仓库内过氧化氢与乙醇、丙酮等易燃液体同库存放，未分区分类，且存量超过核定量。",
        "measures": "已将氧化剂转移至专用库房并与易燃液体分开存放，按核定储量控制库存，张贴禁配物质表。",
        "major_basis": {"criterion": "chem_2017", "clause": "第二十条"},
    },
    {
        "category": "hazchem", "nature": "unsafe_condition", "level": "general",
        "title": "可燃气体检测报警器故障未修复",
        "description": "甲类储罐区2台可燃气体检测报警器故障已超过一周，未及时维修，也未采取临时监测措施。",
        "measures": "已更换故障探头并由有资质单位标定，将报警器纳入每日巡检，故障期间采用便携式检测仪监测。",
    },
    {
        "category": "hazchem", "nature": "management_defect", "level": "general",
        "title": "危化品仓库未配备安全技术说明书和安全周知卡",
        "description": "仓库存放的甲苯、乙酸乙酯等危险化学品无安全技术说明书，现场未张贴安全周知卡。",
        "measures": "已向供应商索取全部安全技术说明书并归档，在仓库门口张贴安全周知卡，并组织仓管员学习。",
    },
    {
        "category": "hazchem", "nature": "unsafe_act", "level": "general",
        "title": "装卸腐蚀性化学品未佩戴防护用品",
        "description": "员工搬运盐酸桶时未佩戴防护眼镜和耐酸手套，现场也未设置洗眼器。",
        "measures": "已为装卸岗位配发防护眼镜、耐酸手套和防护服，在装卸区安装洗眼器，并开展专项培训。",
    },
    # ---- confined_space 有限空间
    {
        "category": "confined_space", "nature": "unsafe_act", "level": "major",
        "title": "进入污水池作业未通风检测、无人监护",
        "description": "两名员工进入污水调节池清淤，未办理作业审批，未进行通风和气体检测，池外无监护人员。",
        "measures": "已立即停止作业，制定有限空间作业审批制度，配备气体检测仪和通风设备，作业时专人监护。",
        "major_basis": {"criterion": "gongmao_2023", "clause": "第十四条(二)"},
    },
    {
        "category": "confined_space", "nature": "management_defect", "level": "general",
        "title": "有限空间入口未设置安全警示标志",
        "description": "厂区化粪池、污水井等有限空间入口未设置安全警示标志，有限空间管理台账内容不全。",
        "measures": "已在各有限空间入口设置警示标志和告知牌，重新辨识有限空间并完善管理台账。",
    },
    {
        "category": "confined_space", "nature": "management_defect", "level": "general",
        "title": "有限空间作业未配备应急救援器材",
        "description": "企业存在有限空间作业，但未配备正压式空气呼吸器、安全绳等救援器材，也未开展应急演练。",
        "measures": "已购置正压式空气呼吸器、三脚架、安全绳等器材，制定有限空间专项应急预案并组织演练。",
    },
    # ---- special_equipment 特种设备
    {
        "category": "special_equipment", "nature": "unsafe_condition", "level": "major",
        "title": "桥式起重机起升高度限位器失效",
        "description": "车间10吨桥式起重机起升高度限位器失效，吊钩上升至极限位置时不能自动停止，仍在使用。",
        "measures": "已停用该起重机，由维保单位更换限位器并经检验合格后恢复使用，每班作业前检查限位装置。",
        "major_basis": {"criterion": "special_eq_gb45067", "clause": "第9.2条(3)"},
    },
    {
        "category": "special_equipment", "nature": "management_defect", "level": "general",
        "title": "叉车超期未定期检验",
        "description": "企业在用的2台内燃叉车定期检验已过期3个月，未申报检验仍在使用。",
        "measures": "已停用超期叉车并向特种设备检验机构申报定期检验，建立特种设备检验到期提醒台账。",
    },
    {
        "category": "special_equipment", "nature": "unsafe_act", "level": "general",
        "title": "无证人员驾驶叉车",
        "description": "仓库一名搬运工无特种设备作业人员证，驾驶叉车装卸货物。",
        "measures": "已禁止无证人员驾驶叉车，安排相关人员参加培训考核取证，叉车钥匙由专人保管。",
    },
    {
        "category": "special_equipment", "nature": "unsafe_condition", "level": "general",
        "title": "空压机储气罐安全阀未校验",
        "description": "空压机房储气罐安全阀校验标签已过期，压力表无检定标识。",
        "measures": "已将安全阀和压力表送有资质单位校验检定，并建立安全附件校验台账。",
    },
    # ---- construction 建筑施工
    {
        "category": "construction", "nature": "unsafe_condition", "level": "major",
        "title": "外脚手架连墙件整层缺失",
        "description": "3号楼落地式外脚手架第8层至第9层之间连墙件整层缺失，脚手架存在整体失稳倒塌风险。",
        "measures": "已停止脚手架上作业，按专项方案补设连墙件并经项目技术负责人验收合格后恢复使用。",
        "major_basis": {"criterion": "housing_2024", "clause": "第七条(二)"},
    },
    {
        "category": "construction", "nature": "unsafe_condition", "level": "general",
        "title": "楼层临边、洞口未设置防护",
        "description": "5层楼面电梯井口和楼层临边未设置防护栏杆和挡脚板，存在高处坠落风险。",
        "measures": "已在临边设置1.2米防护栏杆和挡脚板，电梯井口安装定型化防护门，并挂设警示标志。",
    },
    {
        "category": "construction", "nature": "unsafe_act", "level": "general",
        "title": "高处作业人员未系挂安全带",
        "description": "两名工人在脚手架外侧约12米高处绑扎钢筋，未系挂安全带。",
        "measures": "已责令工人停止作业并进行安全教育，现场设置安全带挂点，由安全员加强高处作业巡查。",
    },
    {
        "category": "construction", "nature": "unsafe_condition", "level": "general",
        "title": "基坑边堆土距离坑边过近",
        "description": "基坑北侧距坑边不足1米处堆放弃土约2米高，超出基坑支护设计允许荷载。",
        "measures": "已将弃土清运至距坑边5米以外，设置基坑周边防护栏杆，加强基坑变形监测。",
    },
    # ---- gas 城镇燃气
    {
        "category": "gas", "nature": "unsafe_condition", "level": "major",
        "title": "液化石油气钢瓶存放和使用在地下室",
        "description": "餐饮单位在地下室厨房使用并存放5只50公斤液化石油气钢瓶，未安装可燃气体报警装置。",
        "measures": "已将全部钢瓶移出地下室，改用管道天然气，安装可燃气体报警装置和紧急切断阀。",
        "major_basis": {"criterion": "gas_2023", "clause": "第七条(一)"},
    },
    {
        "category": "gas", "nature": "unsafe_condition", "level": "general",
        "title": "燃气连接软管老化、长度超过2米",
        "description": "后厨灶具燃气连接软管表面龟裂老化，长度约3米并穿越墙体，无管卡固定。",
        "measures": "已更换为金属波纹软管，长度控制在2米以内且不穿墙，并每月检查软管状况。",
    },
    {
        "category": "gas", "nature": "unsafe_act", "level": "general",
        "title": "液化气钢瓶卧放使用、用火检漏",
        "description": "厨房员工将液化气钢瓶卧放使用，且用打火机检查阀门是否漏气。",
        "measures": "已将钢瓶直立放置并加装防倾倒链条，对厨房员工开展燃气安全培训，改用肥皂水检漏。",
    },
    # ---- dust 粉尘防爆
    {
        "category": "dust", "nature": "unsafe_condition", "level": "major",
        "title": "干式除尘系统未采取泄爆、惰化、抑爆措施",
        "description": "铝制品抛光车间干式除尘器未设置泄爆装置，也未采取惰化、抑爆等任何爆炸防控措施。",
        "measures": "已停用该除尘系统，委托专业单位设计改造并加装泄爆片和隔爆阀，经验收合格后恢复生产。",
        "major_basis": {"criterion": "gongmao_2023", "clause": "第十二条(三)"},
    },
    {
        "category": "dust", "nature": "management_defect", "level": "general",
        "title": "作业现场积尘未及时清理",
        "description": "木工车间设备表面、横梁和地面积尘厚度明显，未按粉尘清理制度每班清扫。",
        "measures": "已组织全面清扫积尘，完善粉尘清理制度，规定每班清扫并填写清扫记录。",
    },
    {
        "category": "dust", "nature": "unsafe_condition", "level": "general",
        "title": "粉尘爆炸危险场所使用非防爆电气",
        "description": "打磨车间除尘器附近使用普通照明灯具和非防爆插座，不符合粉尘防爆要求。",
        "measures": "已将照明灯具和插座更换为粉尘防爆型电气设备，并对车间电气设备进行防爆检查。",
    },
    # ---- machinery 机械设备
    {
        "category": "machinery", "nature": "unsafe_condition", "level": "general",
        "title": "冲床光电保护装置失效",
        "description": "冲压车间3号冲床光电保护装置被人为短接，双手操作按钮失效，存在压手风险。",
        "measures": "已恢复光电保护装置接线并测试有效，对操作工进行教育，将安全装置列入班前点检。",
    },
    {
        "category": "machinery", "nature": "unsafe_condition", "level": "general",
        "title": "传动皮带防护罩缺失",
        "description": "空压机及输送机传动皮带和皮带轮外露，未安装防护罩。",
        "measures": "已加装固定式防护罩，设置当心机械伤人警示标志。",
    },
    {
        "category": "machinery", "nature": "unsafe_act", "level": "general",
        "title": "操作车床时戴手套",
        "description": "机加工车间车床操作工戴纱手套操作旋转设备，存在卷入伤害风险。",
        "measures": "已对操作工进行教育，在车床旁张贴禁止戴手套标志，由班组长现场监督。",
    },
    {
        "category": "machinery", "nature": "management_defect", "level": "general",
        "title": "设备检修未执行能量隔离上锁挂牌",
        "description": "维修人员清理注塑机模具时未切断电源，也未上锁挂牌，设备可能被他人误启动。",
        "measures": "已制定能量隔离和上锁挂牌管理制度，配发个人安全锁和警示牌，并组织维修人员培训。",
    },
    # ---- management 安全管理
    {
        "category": "management", "nature": "management_defect", "level": "general",
        "title": "未建立全员安全生产责任制",
        "description": "企业未制定主要负责人、部门负责人及岗位人员的安全生产责任制，责任不清。",
        "measures": "已制定覆盖全员的安全生产责任制并经主要负责人签发，逐级签订安全生产责任书。",
    },
    {
        "category": "management", "nature": "management_defect", "level": "general",
        "title": "新员工未经三级安全教育即上岗",
        "description": "近一个月新入职的8名员工无三级安全教育培训记录，已直接上岗作业。",
        "measures": "已对新员工补充开展三级安全教育并考核合格，建立员工安全培训档案。",
    },
    {
        "category": "management", "nature": "management_defect", "level": "general",
        "title": "生产安全事故应急预案未演练",
        "description": "企业编制了应急预案，但近一年未组织任何应急演练，员工不清楚应急疏散路线。",
        "measures": "已制定年度应急演练计划并组织一次火灾疏散演练，演练后进行评估并修订预案。",
    },
    {
        "category": "management", "nature": "management_defect", "level": "general",
        "title": "未建立隐患排查治理台账",
        "description": "企业未按规定开展定期隐患自查，无隐患排查记录和整改台账。",
        "measures": "已建立隐患排查治理制度，明确排查频次和责任人，建立隐患排查治理台账并闭环管理。",
    },
    # ---- other 其他
    {
        "category": "other", "nature": "unsafe_condition", "level": "general",
        "title": "厂区人车未分流、无限速标志",
        "description": "厂区主干道叉车、货车与行人混行，未设置人行通道和限速标志。",
        "measures": "已施划人行通道，在厂区入口和路口设置限速5公里标志和凸面镜。",
    },
    {
        "category": "other", "nature": "management_defect", "level": "general",
        "title": "防台风措施不到位、临时构筑物未加固",
        "description": "台风预警期间，厂区彩钢板临时棚和户外广告牌未加固，屋面堆放杂物未清理。",
        "measures": "已对临时棚和广告牌进行加固或拆除，清理屋面杂物，并修订防台风应急预案。",
    },
    {
        "category": "other", "nature": "management_defect", "level": "general",
        "title": "劳动防护用品配备不足",
        "description": "打磨、喷涂岗位未按规定配发防尘口罩和防毒面具，员工自行佩戴普通口罩。",
        "measures": "已按岗位危害因素为员工配发符合标准的防尘口罩和防毒面具，建立劳动防护用品发放记录。",
    },
]
# fmt: on
