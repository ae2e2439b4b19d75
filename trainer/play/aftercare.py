"""What to do now in Kazakhstan: the steps a player can take if the case just played
happened to them for real. It ends every debrief.

Rules
-----
1. A genuine (legitimate) scenario: it was genuine, how one can tell, and that the same
   checks work every time. Nothing to report, nothing to block.
2. A scam that ended *scammed* or *partly safe* (something was paid or given away): what
   can still limit the damage, the most urgent first. What the player was asked for on
   their own path decides: what the red-flag types of the steps they answered ask for
   (each type's `asks_for`, set in the taxonomy pack; never its code):
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
3. A scam that ended *safe*: nothing was lost, so prevention. What the trick is after (what
   the red-flag types anywhere in the version ask for) decides:
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

from scenarios.content import FlagType, VersionContent
from scenarios.models import AsksFor, Ending
from trainer.play.state import AnswerRow

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

    @property
    def urgent(self) -> bool:
        """Money or data was lost in a scam: the debrief says what to do first, before
        anything else, as steps for the next hour."""
        return self.ordered


def aftercare_for(
    *,
    legitimate: bool,
    ending: str,
    path_asks: Iterable[str],
    version_asks: Iterable[str],
    channel: str,
) -> Aftercare:
    """The steps that fit the case, by the rules in this module's docstring. `path_asks`
    and `version_asks` are what the red-flag types on the player's path and in the whole
    version ask for (values of scenarios.models.AsksFor)."""
    if legitimate:
        actions = [Action("how-to-tell", HOW_TO_TELL), Action("keep-checking", KEEP_CHECKING)]
        return Aftercare(LEAD_GENUINE, tuple(actions), ordered=False)
    report = (
        [Action("report-account", REPORT_ACCOUNT[channel])] if channel in REPORT_ACCOUNT else []
    )
    if ending in LOST:
        asked = set(path_asks)
        actions = []
        if AsksFor.APP_INSTALL in asked:
            actions.append(Action("cut-off-phone", CUT_OFF_PHONE))
        if AsksFor.CARD_DATA in asked:
            actions.append(Action("block-card", BLOCK_CARD))
        if AsksFor.ACCOUNT_ACCESS in asked:
            actions.append(Action("secure-account", SECURE_ACCOUNT))
        actions.append(Action("police", POLICE))
        if AsksFor.PERSONAL_DATA in asked:
            actions += [
                Action("stop-credit", format_lazy("{} {}", STOP_CREDIT_AFTER, STOP_CREDIT_HOW)),
                Action("credit-history", CREDIT_HISTORY),
                Action("loan-in-your-name", LOAN_IN_YOUR_NAME),
            ]
        return Aftercare(LEAD_LOST, tuple(actions + report), ordered=True)
    actions = list(report)
    if AsksFor.PERSONAL_DATA in set(version_asks):
        actions.append(
            Action("stop-credit", format_lazy("{} {}", STOP_CREDIT_BEFORE, STOP_CREDIT_HOW))
        )
    actions.append(Action("police", POLICE_IF_LOST))
    return Aftercare(LEAD_SAFE, tuple(actions), ordered=False)


def aftercare_for_attempt(
    content: VersionContent,
    answers: Iterable[AnswerRow],
    ending: str,
    flag_types: dict[str, FlagType],
) -> Aftercare:
    """What to do now after an attempt that reached `ending` along `answers`, with what
    the version's red-flag types ask for as `flag_types` has it now."""

    def asks(codes: Iterable[str]) -> set[str]:
        return {flag_types[code].asks_for for code in codes if code in flag_types}

    path_codes = {
        message.flag
        for answer in answers
        for message in content.step_by_id(answer.step_id).messages
        if message.flag
    }
    return aftercare_for(
        legitimate=content.legitimate,
        ending=ending,
        path_asks=asks(path_codes),
        version_asks=asks(content.flag_codes),
        channel=content.channel,
    )
