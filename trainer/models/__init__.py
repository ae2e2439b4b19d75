"""The trainer's models, a module per concern: playing, module runs, organisations and their
sessions, certificates, and the requests acted on once. They share the app label `trainer`."""

from trainer.models.acted_once import ActedOnce
from trainer.models.certificates import Certificate, VerifyFailure
from trainer.models.organisations import Membership, Organisation, Role
from trainer.models.play import Attempt, MarkedMessage, StepAnswer
from trainer.models.runs import CheckAnswer, CheckPhase, DrawnItem, ModuleRun
from trainer.models.sessions import (
    SessionPlayer,
    SessionScenario,
    TrainingSession,
    WrongCode,
)

__all__ = [
    "ActedOnce",
    "Attempt",
    "Certificate",
    "CheckAnswer",
    "CheckPhase",
    "DrawnItem",
    "MarkedMessage",
    "Membership",
    "ModuleRun",
    "Organisation",
    "Role",
    "SessionPlayer",
    "SessionScenario",
    "StepAnswer",
    "TrainingSession",
    "VerifyFailure",
    "WrongCode",
]
