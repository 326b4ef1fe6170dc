"""Demo core tables: settings, products, regions, reps, history, deals, credits, payments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesbook.demo import DemoContext

ORDER = 0

PRODUCT_LINES = {
    "en": ["Industrial Sensors", "Automation Software", "Maintenance Services"],
    "zh": ["工业传感器", "自动化软件", "运维服务"],
}
PRODUCTS = [  # (line index, en name, zh name, unit price)
    (0, "Pressure sensor P100", "压力传感器 P100", 1200.0),
    (0, "Temperature sensor T20", "温度传感器 T20", 800.0),
    (0, "Flow meter F7", "流量计 F7", 3500.0),
    (1, "SCADA licence", "SCADA 软件许可", 48000.0),
    (1, "MES module", "MES 模块", 120000.0),
    (1, "Analytics add-on", "数据分析插件", 26000.0),
    (2, "Annual maintenance", "年度维保", 36000.0),
    (2, "On-site training", "现场培训", 9000.0),
    (2, "Spare parts kit", "备件包", 5200.0),
]
REGIONS = [("EAST", "East", "华东"), ("NORTH", "North", "华北"), ("SOUTH", "South", "华南"),
           ("WEST", "West", "西南"), ("CENTRAL", "Central", "华中")]
REGION_WEIGHT = np.array([0.30, 0.22, 0.24, 0.12, 0.12])
ZH_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程")
ZH_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建文斌宇浩凯琳晨欣怡博")
EN_FIRST = ["Alice", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack", "Kate", "Liam",
            "Mia", "Noah", "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara", "Uma", "Victor", "Wendy", "Xavier",
            "Yara", "Zoe", "Adam", "Bella", "Carl", "Diana"]
EN_LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright",
           "Green", "Hall", "Wood", "Clarke", "Turner", "Hill", "Moore", "Cooper", "Ward", "King"]
INDUSTRIES = {"en": ["Manufacturing", "Energy", "Chemicals", "Food", "Logistics", "Pharma"],
              "zh": ["制造业", "能源", "化工", "食品", "物流", "医药"]}
CUSTOMER_STEMS = {"en": ["Apex", "Blue River", "Crown", "Delta", "Evergreen", "Falcon", "Golden Gate", "Harbor",
                         "Ironwood", "Jade", "Keystone", "Lotus", "Meridian", "North Star", "Orion", "Pioneer"],
                  "zh": ["华信", "长江", "天成", "恒达", "东方", "新元", "金桥", "海港", "铁木", "玉龙", "基石",
                         "莲花", "子午", "北辰", "猎户", "先锋"]}
CUSTOMER_SUFFIX = {"en": [" Manufacturing", " Energy", " Chemicals", " Foods", " Logistics", " Pharma"],
                   "zh": ["制造有限公司", "能源集团", "化工股份", "食品有限公司", "物流有限公司", "制药有限公司"]}


def _names(rng: np.random.Generator, n: int, lang: str) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        if lang == "zh":
            given = "".join(rng.choice(ZH_GIVEN, size=int(rng.integers(1, 3))))
            name = str(rng.choice(ZH_SURNAMES)) + given
        elif len(out) < len(EN_FIRST) * len(EN_LAST):
            name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        else:  # every first and last name pair is taken (1,000 reps at --scale 25): a middle initial too
            name = f"{rng.choice(EN_FIRST)} {chr(65 + int(rng.integers(0, 26)))}. {rng.choice(EN_LAST)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def generate(ctx: DemoContext) -> dict[str, pd.DataFrame]:
    rng = ctx.rng("core")
    lang = ctx.lang
    fy = ctx.fiscal_year
    lines = PRODUCT_LINES[lang]
    settings = pd.DataFrame({
        "key": ["company_name", "language", "currency", "fiscal_year", "fiscal_year_start_month", "as_of_date",
                "rounding_unit", "bonus_cap"],
        "value": ["华东精工科技有限公司" if lang == "zh" else "Eastbridge Instruments Ltd.", lang, "CNY", fy, 1,
                  pd.Timestamp(fy, 12, 31), 0.01, 2.0],
        "note": [None] * 8,
    })
    products = pd.DataFrame({
        "product_id": [f"P{i + 1:02d}" for i in range(len(PRODUCTS))],
        "name": [p[2] if lang == "zh" else p[1] for p in PRODUCTS],
        "product_line": [lines[p[0]] for p in PRODUCTS],
        "unit_price": [p[3] for p in PRODUCTS],
        "active": [True] * len(PRODUCTS),
    })
    n_regions = len(REGIONS)
    # Reps: 1 director, a manager per region, the rest seniors and reps.
    n_reps = ctx.scaled(40, minimum=30)
    names = _names(rng, n_reps, lang)
    rep_ids = [f"R{i + 1:04d}" for i in range(n_reps)]
    region_of = [REGIONS[0][0]] + [REGIONS[i][0] for i in range(n_regions)]
    rest = rng.choice(n_regions, size=n_reps - 1 - n_regions, p=REGION_WEIGHT)
    region_of += [REGIONS[i][0] for i in rest]
    roles = ["director"] + ["manager"] * n_regions + list(rng.choice(["senior", "rep", "rep"], size=len(rest)))
    manager_of_region = {REGIONS[i][0]: rep_ids[1 + i] for i in range(n_regions)}
    managers = [None] + [rep_ids[0]] * n_regions + [manager_of_region[r] for r in region_of[1 + n_regions:]]
    hire = []
    for role in roles:
        if role in ("director", "manager"):
            hire.append(pd.Timestamp(fy - int(rng.integers(3, 10)), int(rng.integers(1, 13)), 1))
        elif rng.random() < 0.12:  # a few new hires during the plan year, for ramp and proration
            hire.append(pd.Timestamp(fy, int(rng.integers(2, 10)), int(rng.integers(1, 28))))
        else:
            hire.append(pd.Timestamp(fy - int(rng.integers(1, 8)), int(rng.integers(1, 13)), int(rng.integers(1, 28))))
    leave = [pd.Timestamp(fy, int(rng.integers(5, 11)), int(rng.integers(1, 28)))
             if role in ("rep", "senior") and h.year < fy and rng.random() < 0.05 else pd.NaT
             for role, h in zip(roles, hire, strict=True)]
    industries = INDUSTRIES[lang]
    spec = [", ".join(sorted(rng.choice(industries, size=2, replace=False))) if r in ("rep", "senior") else None
            for r in roles]
    rep_lines = [None if r != "rep" or rng.random() < 0.6 else ", ".join(sorted(rng.choice(lines, 2, replace=False)))
                 for r in roles]
    bonus_by_role = {"director": 240000.0, "rep": 36000.0}
    # seniors and managers have a base salary and a target bonus % instead (400,000 x 15% = 60,000; 600,000 x 20%)
    salary_by_role = {"senior": (400000.0, 0.15), "manager": (600000.0, 0.20)}
    reps = pd.DataFrame({
        "rep_id": rep_ids, "name": names, "region_id": region_of, "role": roles, "manager_id": managers,
        "hire_date": hire, "leave_date": leave, "product_lines": rep_lines, "industries": spec,
        "max_open_leads": [None if r in ("director", "manager") else int(rng.choice([40, 60, 80])) for r in roles],
        "capacity": [1.0 if r != "senior" else 1.3 for r in roles],
        "target_bonus": [bonus_by_role.get(r) for r in roles],
        "salary": [salary_by_role[r][0] if r in salary_by_role else None for r in roles],
        "target_bonus_pct": [salary_by_role[r][1] if r in salary_by_role else None for r in roles],
        "email": [f"{rid.lower()}@example.com" for rid in rep_ids],
    })
    regions = pd.DataFrame({"region_id": [r[0] for r in REGIONS],
                            "name": [r[2] if lang == "zh" else r[1] for r in REGIONS],
                            "manager_id": [manager_of_region[r[0]] for r in REGIONS]})
    sellers = reps[reps["role"].isin(["rep", "senior", "manager"])].reset_index(drop=True)
    seller_strength = rng.lognormal(0.0, 0.35, size=len(sellers)) * np.where(sellers["role"] == "senior", 1.4, 1.0)
    season = np.array([0.06, 0.05, 0.08, 0.08, 0.09, 0.09, 0.08, 0.08, 0.09, 0.09, 0.10, 0.11])
    product_price = products["unit_price"].to_numpy()
    product_mix = np.array([0.20, 0.18, 0.10, 0.10, 0.04, 0.08, 0.12, 0.10, 0.08])

    # History: 24 months before the plan year, by rep x product, with growth across the two years.
    hist_rows = []
    # plain lists: element access on DataFrames cost more than drawing the numbers
    seller_rows = list(zip(sellers["rep_id"].tolist(), sellers["region_id"].tolist(), sellers["hire_date"].tolist(),
                           strict=True))
    product_ids = products["product_id"].tolist()
    strength_total = seller_strength.sum()
    # last year's sales grow with the deal count, so that a scaled book's targets and quotas match its deals
    volume = ctx.scaled(20_000, minimum=200) / 20_000
    for year_back, growth in ((2, 0.88), (1, 1.0)):
        for month in range(1, 13):
            period = pd.Timestamp(fy - year_back, month, 1)
            base = 480_000_000 * volume * growth * season[month - 1]
            for s_idx, (rep_id, region_id, hired_on) in enumerate(seller_rows):
                if hired_on > period:
                    continue
                share = seller_strength[s_idx] / strength_total
                amounts = base * share * product_mix * rng.lognormal(0, 0.25, size=len(product_mix))
                for p_idx, amt in enumerate(amounts.tolist()):
                    hist_rows.append((period, rep_id, region_id, product_ids[p_idx], round(amt, 2)))
    history = pd.DataFrame(hist_rows, columns=["period", "rep_id", "region_id", "product_id", "amount"])
    # units at about 5% below list price (whole units; a small month of a dear product sells none)
    list_price = history["product_id"].map(dict(zip(products["product_id"], product_price, strict=True)))
    history["quantity"] = np.round(history["amount"] / (list_price * 0.95)).astype(float)

    # Deals in the plan year.
    n_deals = ctx.scaled(20_000, minimum=200)
    month = rng.choice(12, size=n_deals, p=season) + 1
    day = rng.integers(1, 29, size=n_deals)
    dates = pd.to_datetime({"year": np.full(n_deals, fy), "month": month, "day": day})
    seller_idx = rng.choice(len(sellers), size=n_deals, p=seller_strength / seller_strength.sum())
    hired = sellers["hire_date"].to_numpy()[seller_idx]
    dates = pd.Series(np.where(dates.to_numpy() < hired, hired, dates.to_numpy())).dt.normalize()
    left = sellers["leave_date"].to_numpy()[seller_idx]
    late = ~pd.isna(left) & (dates.to_numpy() > left)
    dates = pd.Series(np.where(late, left, dates.to_numpy())).dt.normalize()
    prod_idx = rng.choice(len(products), size=n_deals, p=product_mix)
    qty = np.maximum(1, np.round(rng.lognormal(1.0, 0.9, size=n_deals))).astype(int)
    qty = np.where(product_price[prod_idx] > 20000, np.maximum(1, qty // 4), qty)
    discount = rng.uniform(0.85, 1.0, size=n_deals)
    amount = np.round(product_price[prod_idx] * qty * discount, 2)
    status = rng.choice(["booked", "cancelled", "returned"], size=n_deals, p=[0.96, 0.025, 0.015])
    day_of = dates.to_numpy().astype("datetime64[D]").astype(np.int64)  # days since 1970, for quick sums
    nat = np.iinfo(np.int64).min
    status_date = pd.to_datetime(np.array([d + int(rng.integers(5, 60)) if st != "booked" else nat
                                           for d, st in zip(day_of.tolist(), status.tolist(), strict=True)],
                                          dtype=np.int64).astype("datetime64[D]")).astype("datetime64[us]")
    stems, suffixes = CUSTOMER_STEMS[lang], CUSTOMER_SUFFIX[lang]
    customers = [f"{stems[i % len(stems)]}{suffixes[(i // len(stems)) % len(suffixes)]}"
                 for i in rng.integers(0, len(stems) * len(suffixes), size=n_deals)]
    deals = pd.DataFrame({
        "deal_id": [f"D{fy}{i + 1:06d}" for i in range(n_deals)],
        "date": dates, "rep_id": sellers["rep_id"].to_numpy()[seller_idx],
        "product_id": products["product_id"].to_numpy()[prod_idx], "customer": customers,
        "quantity": qty.astype(float), "amount": amount, "status": status, "status_date": status_date,
    }).sort_values(["date", "deal_id"], kind="stable").reset_index(drop=True)

    # Credits: about 8% of deals split between owner and a colleague in the same region, some overlays.
    split_idx = np.flatnonzero(rng.random(n_deals) < 0.08)
    by_region = sellers.groupby("region_id")["rep_id"].apply(list).to_dict()
    rep_region = dict(zip(sellers["rep_id"], sellers["region_id"], strict=True))
    credit_rows = []
    deal_ids, deal_reps = deals["deal_id"].tolist(), deals["rep_id"].tolist()
    for i in split_idx.tolist():
        owner = deal_reps[i]
        mates = [r for r in by_region[rep_region[owner]] if r != owner]
        if not mates:
            continue
        other = str(rng.choice(mates))
        share = float(rng.choice([0.5, 0.6, 0.7]))
        credit_rows.append((deal_ids[i], owner, share, False))
        credit_rows.append((deal_ids[i], other, round(1 - share, 2), False))
        if rng.random() < 0.15:
            manager = manager_of_region[rep_region[owner]]
            if manager not in (owner, other):
                credit_rows.append((deal_ids[i], manager, 0.1, True))
    credits = pd.DataFrame(credit_rows, columns=["deal_id", "rep_id", "share", "overlay"])

    # Payments: most deals paid in one or two instalments, some partially, within 10-90 days.
    pay_rows = []
    pid = 0
    as_of = int(np.datetime64(f"{fy}-12-31", "D").astype(np.int64))
    deal_days = deals["date"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist()
    for deal_id, d, amt, st in zip(deal_ids, deal_days, deals["amount"].tolist(), deals["status"].tolist(),
                                   strict=True):
        if st == "cancelled":
            continue
        r = rng.random()
        parts = [1.0] if r < 0.7 else ([0.3, 0.7] if r < 0.9 else [0.5])
        when = d + int(rng.integers(10, 90))
        for frac in parts:
            if when > as_of:
                break
            pid += 1
            pay_rows.append((f"PAY{pid:07d}", deal_id, when, round(float(amt) * frac, 2)))
            when = when + int(rng.integers(20, 60))
    payments = pd.DataFrame(pay_rows, columns=["payment_id", "deal_id", "date", "amount"])
    payments["date"] = pd.to_datetime(payments["date"].to_numpy(dtype=np.int64).astype("datetime64[D]")) \
        .astype("datetime64[us]")
    return {"Settings": settings, "Products": products, "Regions": regions, "Reps": reps, "History": history,
            "Deals": deals, "Credits": credits, "Payments": payments}
