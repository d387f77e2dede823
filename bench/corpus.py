"""A synthetic corpus for benchmarks: news-like articles of about 3 KB in Indonesian and English.

Deterministic for a seed. Sentences are assembled from templates the project
wrote, filled with actors and places the gazetteer knows, so the extractor does
its full work on every article.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

ACTORS = ["Vladimir Putin", "Kassym-Jomart Tokayev", "CSTO", "ASEAN", "PBB", "NATO", "Uni Afrika", "ECOWAS"]
PLACES_ID = ["Kazakhstan", "Almaty", "Myanmar", "Yangon", "Sudan", "Khartoum", "Niger", "Niamey", "Kenya", "Nairobi"]
PLACES_EN = ["Kazakhstan", "Almaty", "Myanmar", "Yangon", "Sudan", "Khartoum", "Niger", "Niamey", "Kenya", "Nairobi"]

# Most of a news story is background without a figure or a name; a third of the sentences carry facts.
ID_FILLER = [
    "Situasi di lapangan masih tegang dan banyak toko memilih tutup lebih awal.",
    "Para pengamat menilai krisis ini berakar pada ketimpangan ekonomi yang sudah lama dibiarkan.",
    "Harga kebutuhan pokok naik tajam dalam beberapa bulan terakhir sehingga memicu keresahan.",
    "Sejumlah jalan utama ditutup dan layanan internet dilaporkan terganggu sejak pagi.",
    "Pemerintah belum memberikan keterangan resmi mengenai langkah selanjutnya.",
    "Warga mengaku khawatir situasi akan memburuk menjelang akhir pekan.",
]
EN_FILLER = [
    "The situation on the ground remained tense, and many shops closed early.",
    "Analysts said the crisis was rooted in economic grievances that had long been ignored.",
    "Prices of basic goods have risen sharply in recent months, fuelling discontent.",
    "Several main roads were closed and internet services were reported disrupted since the morning.",
    "The government has not yet given an official account of its next steps.",
    "Residents said they feared the situation would worsen before the weekend.",
]

ID_SENTENCES = [
    "Sedikitnya {n} orang tewas dalam bentrokan antara aparat keamanan dan pengunjuk rasa di {place} pekan lalu.",
    "Polisi menangkap lebih dari {n} demonstran setelah kerusuhan pecah di pusat kota {place}.",
    "{actor} mengatakan bahwa situasi di {place} sudah terkendali dan pasukan akan ditarik setelah misi selesai.",
    "\u201cKami tidak akan membiarkan kekerasan ini berlanjut di {place},\u201d kata {actor} kepada wartawan.",
    "Serangan udara menghantam sebuah desa di dekat {place}, menewaskan puluhan warga sipil.",
    "Ribuan warga turun ke jalan di {place} untuk memprotes kenaikan harga bahan bakar.",
    "Menurut {actor}, hampir {n2} orang terpaksa mengungsi dari {place} sejak pertempuran dimulai.",
    "Pertemuan darurat digelar di {place} untuk membahas gencatan senjata antara kedua pihak.",
]
EN_SENTENCES = [
    "At least {n} people were killed in clashes between security forces and protesters in {place} last week.",
    "Police arrested more than {n} demonstrators after riots broke out in central {place}.",
    "{actor} said the situation in {place} was under control and troops would be withdrawn once the mission ended.",
    "\u201cWe will not allow this violence to continue in {place},\u201d {actor} told reporters.",
    "An air strike hit a village near {place}, killing dozens of civilians.",
    "Thousands of residents took to the streets of {place} to protest against rising fuel prices.",
    "According to {actor}, nearly {n2} people have been forced to flee {place} since the fighting began.",
    "An emergency meeting was held in {place} to discuss a ceasefire between the two sides.",
]


def article(i: int, rng: random.Random) -> dict[str, str]:
    lang = "id" if i % 2 else "en"
    templates, places = (ID_SENTENCES, PLACES_ID) if lang == "id" else (EN_SENTENCES, PLACES_EN)
    filler = ID_FILLER if lang == "id" else EN_FILLER
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < 3000:
        t = rng.choice(templates) if rng.random() < 0.35 else rng.choice(filler)
        parts.append(t.format(n=rng.randint(3, 400), n2=f"{rng.randint(2, 90) * 1000:,}".replace(",", "." if lang == "id" else ","),
                              place=rng.choice(places), actor=rng.choice(ACTORS)))
    date = dt.datetime(2022, 1, 1, 8, tzinfo=dt.timezone.utc) + dt.timedelta(hours=7 * i)
    return {"id": f"bench-{i}", "url": f"https://example.org/bench/{i}", "title": f"Synthetic report {i}",
            "language": lang, "published": date.isoformat(), "source": "Bench Wire", "text": " ".join(parts)}


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(article(i, rng), ensure_ascii=False) + "\n")
    return path
