"""Happenings that news reactions respond to, each named by the words and phrases that report it.

An event defined as "Lin steps down" is about a departure, so a reaction introduced by "her
resignation", "quit" or "stepping away" is about it too; a reaction introduced by "unveiled" is
about another happening (a launch). Words are stemmed (`domain.text.stem`) when the table loads.
Ambiguous words (march, left, fire, poll) are left out on purpose: a wrong concept costs more than
a missing one.
"""

# Concept: its words and phrases, comma-separated.
_TABLE: dict[str, str] = {
    "departure": (
        "depart, departure, resign, resignation, quit, exit, leave, leaving, step down, "
        "steps down, stepped down, stepping down, step away, stepped away, stepping away, "
        "step aside, stand down, oust, ouster, ousted, sack, sacked, sacking, dismissal, "
        "dismissed, retire, retirement, part ways, leadership change, leadership shake-up, "
        "farewell, goodbye, exodus"
    ),
    "appointment": (
        "appoint, appointment, hire, hired, successor, succeed, named as, promoted, "
        "promotion, new chief, takes over, take the helm, takes the helm"
    ),
    "launch": (
        "launch, release, unveil, debut, introduce, introduction, roll out, rolled out, "
        "rollout, premiere, new model, new models, go on sale, goes on sale"
    ),
    "acquisition": "acquire, acquisition, buyout, takeover, merger, merge, purchase, bought, buy",
    "layoffs": (
        "layoff, lay off, laid off, job cuts, cut jobs, redundancy, redundancies, "
        "downsizing, restructuring"
    ),
    "legal": (
        "lawsuit, sue, sued, court, ruling, verdict, judge, trial, appeal, settlement, "
        "indictment, indicted, charged, injunction, sentencing, jury, convicted, acquitted, "
        "acquittal"
    ),
    "arrest": "arrest, arrested, detained, detention, custody",
    "election": (
        "election, elected, re-elected, ballot, referendum, voter, voters, candidate, "
        "candidacy, campaign, landslide"
    ),
    "vote": "vote, voted, passed, approve, approved, approval, reject, rejected",
    "death": (
        "death, died, dies, passed away, obituary, funeral, mourn, mourning, tribute, "
        "tributes, condolence, condolences, killed, memorial"
    ),
    "funding": (
        "funding, investment, investor, investors, valuation, ipo, raised, fundraise, "
        "fundraising, goes public, go public, seed round, series a, series b"
    ),
    "outage": "outage, downtime, disruption, went down, blackout, offline",
    "security": (
        "breach, hack, hacked, hacker, hackers, cyberattack, ransomware, vulnerability, "
        "data leak, leaked"
    ),
    "regulation": (
        "ban, banned, regulation, regulator, regulators, legislation, bill, antitrust, "
        "probe, investigation, inquiry, penalty, fined, sanction, sanctions, tariff, "
        "tariffs, law"
    ),
    "strike": "strike, walkout, picket, industrial action, union, unions",
    "earnings": "earnings, revenue, profit, profits, quarterly, forecast, guidance, shares, stock",
    "partnership": "partnership, collaboration, alliance, joint venture",
    "award": "award, prize, nomination, nominated, medal, trophy, honour, honor",
    "match": (
        "win, won, victory, defeat, defeated, beat, draw, match, semifinal, "
        "semi-final, championship, scored"
    ),
    "protest": "protest, protester, protesters, demonstration, rally, demonstrators",
    "budget": "budget, spending, tax, taxes, deficit, austerity",
    "disaster": (
        "crash, accident, collision, flood, flooding, earthquake, storm, hurricane, "
        "wildfire, derailment, derailed, explosion, collapse"
    ),
    "recall": "recall, recalled, defect, defective",
    "closure": (
        "closure, shut down, shutdown, shutting down, bankrupt, bankruptcy, insolvency, closing"
    ),
    "scandal": (
        "scandal, allegation, allegations, misconduct, harassment, accused, accusation, accusations"
    ),
    "health": "outbreak, vaccine, virus, pandemic, infection, infections",
    "price": "price, prices, pricing, fare, fares, price hike",
}

CONCEPTS: dict[str, tuple[str, ...]] = {
    name: tuple(word.strip() for word in words.split(",")) for name, words in _TABLE.items()
}
