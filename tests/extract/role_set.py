"""A role test set written for this project: (sentence, speaker name, role, affiliation).

Every sentence is invented; together they cover titles before the name, appositives after it,
"the X, NAME," openers, relative clauses ("who heads Y"), "NAME of Y", possessive employers and
plain names with no role, in both quote orders.
"""

from __future__ import annotations

RoleCase = tuple[str, str, str | None, str | None]

ROLE_SET: list[RoleCase] = [
    # titles before the name
    (
        '"We will add buses," Transport commissioner Omar Haddad said.',
        "Omar Haddad",
        "Transport commissioner",
        None,
    ),
    (
        'Transport commissioner Omar Haddad said: "We will add buses."',
        "Omar Haddad",
        "Transport commissioner",
        None,
    ),
    ('"I cannot afford the rent," student Amir Khan said.', "Amir Khan", "student", None),
    (
        '"The school needs books," Retired teacher Helen Park said.',
        "Helen Park",
        "Retired teacher",
        None,
    ),
    (
        'Retired teacher Helen Park said, "The school needs books."',
        "Helen Park",
        "Retired teacher",
        None,
    ),
    ('"It is too late," FBI Director James Comey said.', "James Comey", "FBI Director", None),
    (
        '"We are hiring," said Northwind chief executive Maya Lund.',
        "Maya Lund",
        "Northwind chief executive",
        None,
    ),
    (
        '"The rally will go on," organiser Priya Nair told the crowd.',
        "Priya Nair",
        "organiser",
        None,
    ),
    (
        '"Rates stay put," central bank economist Tomas Berg said.',
        "Tomas Berg",
        "central bank economist",
        None,
    ),
    (
        '"The dam held," county engineer Rosa Lind said on Friday.',
        "Rosa Lind",
        "county engineer",
        None,
    ),
    (
        '"It was a fair trial," defence lawyer Marc Duval said.',
        "Marc Duval",
        "defence lawyer",
        None,
    ),
    (
        '"We lost the game in midfield," head coach Lena Ortiz said.',
        "Lena Ortiz",
        "head coach",
        None,
    ),
    ('"The herd is healthy," dairy farmer Owen Price said.', "Owen Price", "dairy farmer", None),
    (
        '"Turnout was low," political scientist Ana Ruiz said.',
        "Ana Ruiz",
        "political scientist",
        None,
    ),
    ('"I saw the flames," resident Karim Saleh said.', "Karim Saleh", "resident", None),
    (
        '"The code is stable," Alibaba\'s chief technology officer Lin Wei said.',
        "Lin Wei",
        "Alibaba's chief technology officer",
        "Alibaba",
    ),
    ('"Prices will fall," senior analyst Joan Miro said.', "Joan Miro", "senior analyst", None),
    ('"Our ward is full," nurse Beth Cole said.', "Beth Cole", "nurse", None),
    ('"The vote is Tuesday," Mayor Ruth Adler said.', "Ruth Adler", "Mayor", None),
    ('"We were outplayed," Former striker Dan Holt said.', "Dan Holt", "Former striker", None),
    # appositives after the name
    (
        '"We will add buses," Omar Haddad, the transport commissioner, said.',
        "Omar Haddad",
        "the transport commissioner",
        None,
    ),
    (
        'Omar Haddad, the transport commissioner, said: "We will add buses."',
        "Omar Haddad",
        "the transport commissioner",
        None,
    ),
    (
        '"A loss for us," said Tiezhen Wang, head of ecosystem at Hugging Face.',
        "Tiezhen Wang",
        "head of ecosystem at Hugging Face",
        "Hugging Face",
    ),
    (
        '"It ships in May," said Ines Duarte, a researcher at Harbor AI.',
        "Ines Duarte",
        "a researcher at Harbor AI",
        "Harbor AI",
    ),
    (
        '"We are cautious," said Lia Moss, an analyst at Dune Rock.',
        "Lia Moss",
        "an analyst at Dune Rock",
        "Dune Rock",
    ),
    (
        'Ines Varga, chief executive of Harbor Point, said: "We will grow."',
        "Ines Varga",
        "chief executive of Harbor Point",
        "Harbor Point",
    ),
    (
        '"The tide is late," said Noor Aziz, a pilot for the port authority.',
        "Noor Aziz",
        "a pilot for the port authority",
        None,
    ),
    (
        '"We will appeal," said Paul Eder, a lawyer for the family.',
        "Paul Eder",
        "a lawyer for the family",
        None,
    ),
    (
        '"The bridge is safe," Kai Moreno, 52, a civil engineer, said.',
        "Kai Moreno",
        "a civil engineer",
        None,
    ),
    (
        '"It was chaos," said Sara Vick, a student at Lakeside College.',
        "Sara Vick",
        "a student at Lakeside College",
        "Lakeside College",
    ),
    (
        '"The model is small," said Rui Zhang, a contributor to Qwen.',
        "Rui Zhang",
        "a contributor to Qwen",
        None,
    ),
    (
        '"Sales doubled," said Hana Ito, the company\'s finance chief.',
        "Hana Ito",
        "the company's finance chief",
        None,
    ),
    (
        'Jonas Weber, a spokesman for the Transport Ministry, said: "Fares rise in June."',
        "Jonas Weber",
        "a spokesman for the Transport Ministry",
        "Transport Ministry",
    ),
    (
        '"We had no warning," said Ella Brandt, a nurse at St Mary Hospital.',
        "Ella Brandt",
        "a nurse at St Mary Hospital",
        "St Mary Hospital",
    ),
    (
        '"I voted no," said Ravi Patel, a member of the city council.',
        "Ravi Patel",
        "a member of the city council",
        None,
    ),
    # "the X, NAME," openers
    (
        'The transport commissioner, Omar Haddad, said: "We will add buses."',
        "Omar Haddad",
        "the transport commissioner",
        None,
    ),
    (
        'The head of the union, Marta Kovacs, said: "We will strike."',
        "Marta Kovacs",
        "the head of the union",
        None,
    ),
    (
        'The team\'s captain, Leo Brandt, said: "We played well."',
        "Leo Brandt",
        "the team's captain",
        None,
    ),
    (
        'A spokeswoman for Orbis, Clara Voss, said: "We disagree."',
        "Clara Voss",
        "a spokeswoman for Orbis",
        "Orbis",
    ),
    (
        'The county sheriff, Dale Royce, told reporters: "Stay home tonight."',
        "Dale Royce",
        "the county sheriff",
        None,
    ),
    # relative clauses
    (
        '"We will add buses," said Omar Haddad, who heads the transit authority.',
        "Omar Haddad",
        "heads the transit authority",
        None,
    ),
    (
        'Omar Haddad, who heads the transit authority, said: "We will add buses."',
        "Omar Haddad",
        "heads the transit authority",
        None,
    ),
    (
        '"The lab is growing," said Maya Lund, who founded Northwind Labs.',
        "Maya Lund",
        "founded Northwind Labs",
        "Northwind Labs",
    ),
    (
        '"Students are tired," said Tom Reed, who teaches history at Elm High.',
        "Tom Reed",
        "teaches history at Elm High",
        "Elm High",
    ),
    (
        'Ada Brook, who is the party treasurer, said: "The books balance."',
        "Ada Brook",
        "the party treasurer",
        None,
    ),
    (
        '"We need rain," said Ivo Marsh, who runs a farm near Tal.',
        "Ivo Marsh",
        "runs a farm near Tal",
        None,
    ),
    (
        '"The app is safe," said Nia Cole, who leads security at Solstice Systems.',
        "Nia Cole",
        "leads security at Solstice Systems",
        "Solstice Systems",
    ),
    # NAME of Y
    (
        '"We are out," said Dana Reyes of Cobalt Ventures.',
        "Dana Reyes",
        "of Cobalt Ventures",
        "Cobalt Ventures",
    ),
    (
        'Dana Reyes of Cobalt Ventures said: "We are out."',
        "Dana Reyes",
        "of Cobalt Ventures",
        "Cobalt Ventures",
    ),
    (
        '"The data is clear," said Omar Said of the Harbor Institute.',
        "Omar Said",
        "of the Harbor Institute",
        "Harbor Institute",
    ),
    (
        '"Wages must rise," Greta Lowe of the Dock Workers Union said.',
        "Greta Lowe",
        "of the Dock Workers Union",
        "Dock Workers Union",
    ),
    # no role written
    ('"It is late," said Ted Brown.', "Ted Brown", None, None),
    ('"It is late," Omar Haddad told reporters.', "Omar Haddad", None, None),
    ('Yesterday Omar Haddad said: "It is late."', "Omar Haddad", None, None),
    ('"We will see," Helen Park said on Monday.', "Helen Park", None, None),
    ('On Monday, Amir Khan said: "I am staying."', "Amir Khan", None, None),
    ('"Nothing changed," Mr. Lee Chang said.', "Lee Chang", None, None),
    ('"This is the end," Dr. Mira Holm wrote on X.', "Mira Holm", None, None),
    ('"We disagree," Northwind Labs said in a statement.', "Northwind Labs", None, None),
    # a role carried to a later quote of the same person
    (
        '"We will add buses," said Omar Haddad, the transport commissioner. '
        '"And trams," Haddad added.',
        "Omar Haddad",
        "the transport commissioner",
        None,
    ),
    (
        'Retired teacher Helen Park spoke first. "The school needs books," Park said.',
        "Helen Park",
        "Retired teacher",
        None,
    ),
    (
        '"A loss," said Tiezhen Wang, head of ecosystem at Hugging Face. '
        '"We will miss him," Wang said.',
        "Tiezhen Wang",
        "head of ecosystem at Hugging Face",
        "Hugging Face",
    ),
    (
        'Student Amir Khan joined the march. "I cannot pay," Khan said.',
        "Amir Khan",
        "Student",
        None,
    ),
]
