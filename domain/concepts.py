"""Happenings that news reactions respond to, each named by the words and phrases that report it.

An event defined as "Lin steps down" is about a departure, so a reaction introduced by "her
resignation", "quit" or "stepping away" is about it too; a reaction introduced by "unveiled" is
about another happening (a launch). Words are stemmed (`domain.text.stem`) when the table loads.
Ambiguous words (march, left, fire, poll) are left out on purpose: a wrong concept costs more than
a missing one.
"""

# Concept: its near-synonyms, comma-separated. Each is one happening, not a field: a verdict and an
# appeal are different news, so they are different concepts.
_TABLE: dict[str, str] = {
    "departure": (
        "depart, departure, departed, resign, resigned, resignation, quit, exit, leave, "
        "leaving, step down, steps down, stepped down, stepping down, step away, "
        "stepped away, stepping away, step aside, stand down, bow out, bowing out, ousted, "
        "ouster, sacked, sacking, dismissed, dismissal, retire, retired, retirement, "
        "retiring, part ways, leadership change, farewell, call it a day, hang up, exodus"
    ),
    "appointment": (
        "appoint, appointed, appointment, hired, named as, promoted, promotion, "
        "take the helm, takes the helm, successor, succeed, succeeds, new chief executive"
    ),
    "launch": (
        "launch, launched, release, released, unveil, unveiled, debut, roll out, rolled out, "
        "rollout, premiere, shipped, go on sale, goes on sale, new model, new models"
    ),
    "acquisition": (
        "acquire, acquired, acquisition, buyout, takeover, merger, merge, purchase, bought, buy"
    ),
    "layoffs": (
        "layoff, lay off, laid off, job cuts, cut jobs, redundancy, redundancies, "
        "jobs at risk, downsizing, restructuring"
    ),
    "lawsuit": "lawsuit, sue, sued, suing, litigation, class action",
    "verdict": "verdict, guilty, convicted, conviction, acquitted, acquittal",
    "sentencing": "sentenced, sentencing, jail term, prison term",
    "appeal": "appeal, appealed, appellate",
    "trial": "trial, jury, juries, testimony, testify, testified",
    "ruling": "ruling, ruled, judgment, judgement, injunction",
    "charges": "charged, charges, indicted, indictment, prosecuted",
    "arrest": "arrest, arrested, detained, detention, custody",
    "election": (
        "election, elected, re-elected, ballot, referendum, voters, turnout, landslide, "
        "polling station"
    ),
    "vote": "vote, voted, votes, approve, approved, approval, reject, rejected, motion",
    "legislation": "bill, legislation, statute, new law",
    "death": (
        "death, died, dies, passed away, obituary, funeral, mourn, mourning, tribute, "
        "tributes, condolence, condolences, killed, memorial"
    ),
    "funding": (
        "funding, investment, investors, valuation, ipo, raised, fundraising, grant, grants, "
        "series a, series b"
    ),
    "budget": "budget, spending cuts, cuts, austerity, deficit",
    "tax": "tax, taxes, levy, levies, surcharge",
    "outage": "outage, downtime, went down, blackout, offline, power cut, power cuts",
    "security": (
        "breach, hacked, hack, hackers, cyberattack, ransomware, data leak, vulnerability"
    ),
    "regulation": (
        "regulation, regulator, regulators, ban, banned, antitrust, probe, investigation, "
        "inquiry, fined, penalty, sanction, sanctions"
    ),
    "trade": "tariff, tariffs, trade deal, trade talks, exports, imports",
    "strike": "strike, strikes, walkout, picket, industrial action",
    "union": (
        "union, unions, unionise, unionize, unionised, union recognition, collective bargaining"
    ),
    "earnings": (
        "earnings, revenue, profit, profits, quarterly, half-year results, forecast, "
        "guidance, share price"
    ),
    "partnership": "partnership, collaboration, alliance, joint venture",
    "award": (
        "award, awarded, prize, nomination, nominated, shortlist, shortlisted, medal, "
        "trophy, honour, honor"
    ),
    "match": (
        "win, won, victory, defeat, defeated, beat, beaten, draw, match, semifinal, "
        "semi-final, championship, scored, goals, red card, sent off, thrashed, equaliser, "
        "hat-trick, full-time, half-time"
    ),
    "protest": "protest, protests, protester, protesters, demonstration, demonstrators, rally",
    "disaster": (
        "crash, accident, collision, flood, flooding, earthquake, earthquakes, storm, "
        "hurricane, wildfire, derailment, explosion, collapse, eruption, evacuation"
    ),
    "recall": "recall, recalled, defect, defective",
    "closure": (
        "closure, closing, shut, shut down, shutdown, shutting down, bankruptcy, insolvency, closed"
    ),
    "reopening": "reopen, reopened, reopening, reopens",
    "delay": "delay, delayed, postponed, postponement, adjourned, adjournment, rescheduled",
    "scandal": (
        "scandal, allegation, allegations, misconduct, harassment, accused, accusation, accusations"
    ),
    "health": "outbreak, vaccine, vaccination, virus, pandemic, infection, infections",
    "price": "price, prices, pricing, fare, fares, price rise, price hike",
}

CONCEPTS: dict[str, tuple[str, ...]] = {
    name: tuple(word.strip() for word in words.split(",")) for name, words in _TABLE.items()
}
