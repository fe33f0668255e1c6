"""UI labels for vocabularies (statuses, weapon classes, kinds); a site adds classes and kinds of its own.

The English text of each label is its gettext message id; ``N_`` marks them
for extraction (``briefing i18n extract``) without translating at import.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


STATUS_LABELS = {
    "confirmed": N_("Confirmed"),
    "reported": N_("Reported"),
    "claimed": N_("Claimed"),
    "disputed": N_("Disputed"),
    "denied": N_("Denied"),
}

WEAPON_CLASS_LABELS = {
    "srbm": N_("Short-range ballistic missile"),
    "mrbm": N_("Medium-range ballistic missile"),
    "irbm": N_("Intermediate-range ballistic missile"),
    "icbm": N_("Intercontinental ballistic missile"),
    "cruise-missile": N_("Cruise missile"),
    "anti-ship-missile": N_("Anti-ship missile"),
    "loitering-munition": N_("Loitering munition"),
    "uav": N_("Unmanned aerial vehicle"),
    "ucav": N_("Unmanned combat aerial vehicle"),
    "atgm": N_("Anti-tank guided missile"),
    "manpads": N_("Man-portable air defence system"),
    "sam": N_("Surface-to-air missile system"),
    "artillery": N_("Artillery"),
    "mlrs": N_("Multiple rocket launcher"),
    "rocket": N_("Rocket"),
    "tank": N_("Tank"),
    "ifv": N_("Infantry fighting vehicle"),
    "apc": N_("Armoured personnel carrier"),
    "aircraft": N_("Aircraft"),
    "helicopter": N_("Helicopter"),
    "small-arms": N_("Small arms"),
    "ammunition": N_("Ammunition"),
    "electronic-warfare": N_("Electronic warfare system"),
}

ORGANIZATION_KIND_LABELS = {
    "think-tank": N_("Think tank"),
    "news-agency": N_("News agency"),
    "newspaper": N_("Newspaper"),
    "broadcaster": N_("Broadcaster"),
    "media": N_("Media outlet"),
    "government-body": N_("Government body"),
    "ministry": N_("Ministry"),
    "intelligence-agency": N_("Intelligence agency"),
    "military": N_("Armed forces"),
    "company": N_("Company"),
    "ngo": N_("Non-governmental organisation"),
    "armed-group": N_("Armed group"),
    "international-organization": N_("International organisation"),
}

SECTION_LABELS = {
    "weapons": N_("Weapon"),
    "people": N_("Person"),
    "organizations": N_("Organisation"),
    "topics": N_("Topic"),
    "timelines": N_("Timeline"),
    "briefings": N_("Briefing"),
    "pages": N_("Page"),
}

SECTION_TITLES = {
    "weapons": N_("Weapons"),
    "people": N_("People"),
    "organizations": N_("Organisations"),
    "topics": N_("Topics"),
    "timelines": N_("Timelines"),
}


# The vocabularies a site may extend (site.yaml's ``vocabularies:``), by the renderer's name for them.
_EXTENSIBLE = {"class": ("weapon_classes", WEAPON_CLASS_LABELS), "org": ("organization_kinds", ORGANIZATION_KIND_LABELS)}


def term_label(vocabularies, vocabulary: str, key: str, lang: str, gettext) -> str:
    """The label of a weapon class ("class") or organisation kind ("org") in ``lang``.

    A built-in term's label comes from the UI catalogue (``gettext``); a
    term of the site's own from its ``vocabularies`` (a missing language
    falls back to the default one, as every localised value does).
    """
    name, builtin = _EXTENSIBLE[vocabulary]
    if key in builtin:
        return gettext(builtin[key])
    own = vocabularies.label(name, key)
    return own.get(lang) if own is not None else key
