"""Word lists for the demo data generator: names, places, industries, tags and subjects."""

from __future__ import annotations

_SURNAMES = {
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "黄": "huang", "赵": "zhao",
    "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun", "马": "ma", "朱": "zhu", "胡": "hu", "郭": "guo", "何": "he",
    "高": "gao", "林": "lin", "罗": "luo", "郑": "zheng", "梁": "liang", "谢": "xie", "宋": "song", "唐": "tang",
}
CN_SURNAMES = list(_SURNAMES)
CN_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩晨欣怡婷雪琳佳")
EN_FIRST_MALE = ["James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Daniel",
                 "Matthew", "Anthony", "Mark", "Paul", "Steven", "Andrew", "Kevin", "Brian", "George", "Oliver"]
EN_FIRST_FEMALE = ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
                   "Karen", "Emily", "Emma", "Olivia", "Sophia", "Grace", "Chloe", "Hannah", "Laura", "Alice"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
           "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker"]
CN_CITIES = ["上海", "北京", "深圳", "广州", "杭州", "成都", "南京", "武汉", "苏州", "西安"]
OTHER_CITIES = ["London", "New York", "San Francisco", "Singapore", "Berlin", "Sydney", "Toronto", "Tokyo"]
COUNTRY = {"London": "GB", "New York": "US", "San Francisco": "US", "Singapore": "SG", "Berlin": "DE",
           "Sydney": "AU", "Toronto": "CA", "Tokyo": "JP"}
CN_MOBILE = ["130", "131", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "180", "186",
             "187", "188", "189", "199"]
US_AREA = ["212", "415", "646", "312", "617", "206"]
MAIL_DOMAINS = ["example.com", "example.cn", "mail.example.org", "corp.example.net"]
INDUSTRIES = ["software", "manufacturing", "retail", "finance", "healthcare", "logistics", "education", "energy"]
CN_BRANDS = ["星辰", "华信", "瑞丰", "恒通", "远景", "博达", "新纪元", "云帆", "金桥", "天成"]
CN_SUFFIX = {"software": "科技", "manufacturing": "制造", "retail": "商贸", "finance": "金融", "healthcare": "医疗",
             "logistics": "物流", "education": "教育", "energy": "能源"}
EN_BRANDS = ["Northwind", "Bluepeak", "Ironbridge", "Silverline", "Greenfield", "Brightwave", "Summit", "Harbor"]
EN_SUFFIX = {"software": "Systems", "manufacturing": "Industries", "retail": "Stores", "finance": "Capital",
             "healthcare": "Health", "logistics": "Logistics", "education": "Learning", "energy": "Energy"}
OCCUPATIONS = ["engineer", "manager", "sales", "designer", "teacher", "doctor", "accountant", "founder",
               "analyst", "consultant", "student", "retired"]
CHANNELS = ["web", "referral", "event", "ads", "partner", "store"]
TITLES = ["CEO", "CTO", "Engineer", "Product Manager", "Buyer", "Procurement Lead", "Analyst", "Director",
          "Sales Manager", "Operations Manager"]
ROLES = ["decision_maker", "influencer", "user", "technical_contact", "finance_contact"]
STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
PROJECT_KINDS = ["CRM rollout", "Data platform", "Fleet renewal", "Store refit", "Cloud migration", "Training program",
                 "Solar install", "Supply contract"]
INTERACTION_TYPES = ["purchase", "email", "call", "visit", "meeting", "feedback", "support"]
CHANNELS_BY_TYPE = {
    "purchase": ["web", "store", "app"], "email": ["email"], "call": ["phone"], "visit": ["store", "office"],
    "meeting": ["office", "video"], "feedback": ["survey", "app", "email"], "support": ["phone", "chat", "email"],
}
SUBJECTS = {
    "purchase": ["Annual plan", "Starter kit", "Accessories", "Upgrade", "Renewal"],
    "email": ["Newsletter reply", "Quote request", "Follow-up", "Invoice question"],
    "call": ["Intro call", "Check-in", "Pricing discussion", "Renewal call"],
    "visit": ["Store visit", "Showroom tour", "Site visit"],
    "meeting": ["Kick-off", "Quarterly review", "Demo", "Contract negotiation"],
    "feedback": ["NPS survey", "Product review", "Service rating"],
    "support": ["Login problem", "Delivery delay", "Refund request", "Setup help"],
}
TAGS = [
    ("vip", "VIP", "value", "Top customers by value, set by account managers"),
    ("key_account", "Key account", "value", "Strategic B2B contacts"),
    ("churn_risk", "Churn risk", "risk", "Flagged by customer success"),
    ("event_vip", "Event VIP", "marketing", "Invited guests of the annual event"),
    ("do_not_call", "Do not call", "compliance", "Asked not to be called"),
]
TAG_REASONS = ["account review", "sales request", "customer success call", "event list", "customer request"]


def pinyin(surname: str) -> str:
    """Return the pinyin of a demo surname (for email addresses)."""
    return _SURNAMES.get(surname, "zh")
