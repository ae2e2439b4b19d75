"""The trainer's models, a module per concern: playing, module runs, organisations and their
sessions, certificates, learning records for an LRS, and the requests acted on once. They
share the app label `trainer`."""

from trainer.models.acted_once import ActedOnce
from trainer.models.certificates import Certificate, VerifyFailure
from trainer.models.organisations import Membership, Organisation, Role
from trainer.models.play import Attempt, MarkedMessage, StepAnswer
from trainer.models.records import QueuedStatement, RecordStore
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
    "QueuedStatement",
    "RecordStore",
    "Role",
    "SessionPlayer",
    "SessionScenario",
    "StepAnswer",
    "TrainingSession",
    "VerifyFailure",
    "WrongCode",
]
