"""What to do now in Kazakhstan: the steps a player can take if the case just played
happened to them for real. It ends every debrief.

Rules
-----
1. A genuine (legitimate) scenario: it was genuine, how one can tell, and that the same
   checks work every time. Nothing to report, nothing to block.
2. A scam that ended *scammed* or *partly safe* (something was paid or given away): what
   can still limit the damage, the most urgent first. What the player was asked for on
   their own path (the red-flag types of the steps they answered) decides:
   a. card data or an SMS code -> block the card through the number printed on it;
   e. a password or a sign-in code -> take the account back: sign in from one's own phone,
      change the password, remove unknown linked devices, warn friends (second, after a);
   f. an app or a file to install -> cut the phone off (switch it off, the SIM card out, the
      internet off) and have the bank block the accounts and cards; first of all, since the
      program works while the phone is on (kazpravda-vko-malicious-app-signs);
   b. always -> report it to the police on 102;
   c. personal or ID data, asked for or shown in public (an ID card in an ad) -> switch on
      the voluntary refusal of loans, check the credit history, and what to do about a loan
      already taken in one's name;
   d. an account on a social network, in a messenger or on a classified-ads site ->
      report it there.
3. A scam that ended *safe*: nothing was lost, so prevention. What the trick is after (the
   red-flag types anywhere in the version) decides:
   a. an account as in 2d -> report it there;
   b. personal or ID data, asked for or shown in public -> the voluntary refusal of loans,
      before anything happens;
   c. always -> the police on 102, if money or data has been lost after all.

The facts are those published by Kazakhstan's police, its financial regulator (the ARDFM)
and the gov.kz portal (sources in content/SOURCES.md; removing unknown linked devices is the
police's advice, polisia-2024-friend-asks-to-borrow). 102 is the only phone number named: a
card is blocked through the number printed on the card itself. The wording says what a
person *can* do.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from scenarios.content import VersionContent
from scenarios.models import Ending
from trainer.play.state import AnswerRow

# Codes of the built-in red-flag taxonomy (content/red-flag-types.json).
CARD_DATA = "card-data"
PERSONAL_DATA = "personal-data"
ID_IN_PUBLIC = "id-in-public"
# Either way the ID card's data is out, and a loan can be taken with it.
ID_DATA = {PERSONAL_DATA, ID_IN_PUBLIC}
ACCOUNT_ACCESS = "account-access"
APP_INSTALL = "app-install"

LOST = {Ending.SCAMMED, Ending.PARTLY_SAFE}

LEAD_LOST = _("If this happened to you for real, you can act at once, the most urgent first:")
LEAD_SAFE = _(
    "You lost nothing this time. If you or someone close to you meets this trick for real:"
)
LEAD_GENUINE = _("This one was genuine: there is nothing to report and nothing to block.")

BLOCK_CARD = _(
    "If you gave your card number, the code on its back or a code from an SMS, you can "
    "block the card at once: call your bank on the number printed on the card itself, not "
    "on a number from a message."
)
SECURE_ACCOUNT = _(
    "If you gave a password or a sign-in code, you can sign in to the account from your own "
    "phone at once, change the password and remove, in its settings, any linked device you do "
    "not know. Then warn your friends that messages from your account may not be from you."
)
CUT_OFF_PHONE = _(
    "If you installed an app or opened a file from a message, you can switch the phone off at "
    "once, take out the SIM card and turn off the internet, then have your bank block your "
    "accounts and cards: call it on the number printed on your card, from another phone."
)
POLICE = _(
    "You can report the fraud to the police on 102. The police have a unit that deals with "
    "internet fraud."
)
POLICE_IF_LOST = _(
    "If money or data has been lost after all, you can report it to the police on 102."
)
STOP_CREDIT_AFTER = _(
    "If you gave your ID card details or your IIN, or they were shown in public, you can "
    "switch on the voluntary refusal of loans (“Stop-credit”) at once, so that banks and "
    "microfinance organisations may not issue loans in your name."
)
STOP_CREDIT_BEFORE = _(
    "You can switch on the voluntary refusal of loans (“Stop-credit”) before anything "
    "happens, so that banks and microfinance organisations may not issue loans in your name."
)
STOP_CREDIT_HOW = _(
    "On the eGov portal or in the eGov Mobile app, choose Services, then the voluntary "
    "refusal to receive bank loans and microloans, and sign it digitally. The refusal is shown "
    "in your credit history and stays until you lift it; a loan issued in spite of it must be "
    "written off. It does not cover pawnshops."
)
CREDIT_HISTORY = _("You can also check your credit history regularly for loans you did not take.")
LOAN_IN_YOUR_NAME = _(
    "If a loan has already been taken in your name, you can report it to the police and "
    "obtain the document that recognises you as a victim; it must name the amount, the date "
    "and the lender. With it, the lender suspends collection within three calendar days. If "
    "the lender or a collector does not act, you can complain to the ARDFM, the financial "
    "regulator, through e-Otinish."
)
REPORT_ACCOUNT = {
    "social_dm": _("You can report the account to the social network where it wrote to you."),
    "messenger": _("You can report the account in the messenger where it wrote to you."),
    "classified_ad": _("You can report the advert and its author to the classified-ads site."),
}
HOW_TO_TELL = _(
    "How you can tell: nobody asked you to send money in advance to someone you could not "
    "check, to open a link you had no reason to trust, or to give your ID details, your card "
    "data or a code from an SMS."
)
KEEP_CHECKING = _("You can check every offer the same way before you pay or share any data.")


@dataclass(frozen=True)
class Action:
    key: str  # names the action for styling and tests; the text is what a person reads
    text: Promise


@dataclass(frozen=True)
class Aftercare:
    lead: Promise
    actions: tuple[Action, ...]
    ordered: bool  # the actions are to be taken in this order


def aftercare_for(
    *,
    legitimate: bool,
    ending: str,
    path_flags: Iterable[str],
    version_flags: Iterable[str],
    channel: str,
) -> Aftercare:
    """The steps that fit the case, by the rules in this module's docstring."""
    if legitimate:
        actions = [Action("how-to-tell", HOW_TO_TELL), Action("keep-checking", KEEP_CHECKING)]
        return Aftercare(LEAD_GENUINE, tuple(actions), ordered=False)
    report = (
        [Action("report-account", REPORT_ACCOUNT[channel])] if channel in REPORT_ACCOUNT else []
    )
    if ending in LOST:
        asked = set(path_flags)
        actions = []
        if APP_INSTALL in asked:
            actions.append(Action("cut-off-phone", CUT_OFF_PHONE))
        if CARD_DATA in asked:
            actions.append(Action("block-card", BLOCK_CARD))
        if ACCOUNT_ACCESS in asked:
            actions.append(Action("secure-account", SECURE_ACCOUNT))
        actions.append(Action("police", POLICE))
        if asked & ID_DATA:
            actions += [
                Action("stop-credit", format_lazy("{} {}", STOP_CREDIT_AFTER, STOP_CREDIT_HOW)),
                Action("credit-history", CREDIT_HISTORY),
                Action("loan-in-your-name", LOAN_IN_YOUR_NAME),
            ]
        return Aftercare(LEAD_LOST, tuple(actions + report), ordered=True)
    actions = list(report)
    if ID_DATA & set(version_flags):
        actions.append(
            Action("stop-credit", format_lazy("{} {}", STOP_CREDIT_BEFORE, STOP_CREDIT_HOW))
        )
    actions.append(Action("police", POLICE_IF_LOST))
    return Aftercare(LEAD_SAFE, tuple(actions), ordered=False)


def aftercare_for_attempt(
    content: VersionContent, answers: Iterable[AnswerRow], ending: str
) -> Aftercare:
    """What to do now after an attempt that reached `ending` along `answers`."""
    path_flags = {
        message.flag
        for answer in answers
        for message in content.step_by_id(answer.step_id).messages
        if message.flag
    }
    return aftercare_for(
        legitimate=content.legitimate,
        ending=ending,
        path_flags=path_flags,
        version_flags=content.flag_codes,
        channel=content.channel,
    )
