"""The trainer's models: people playing, organisations and their sessions."""

from trainer.models.certificates import Certificate, VerifyFailure
from trainer.models.organisations import Membership, Organisation, Role
from trainer.models.play import Attempt, CheckAnswer, CheckPhase, ModuleRun, StepAnswer
from trainer.models.sessions import (
    SessionPlayer,
    SessionScenario,
    TrainingSession,
    WrongCode,
)

__all__ = [
    "Attempt",
    "Certificate",
    "CheckAnswer",
    "CheckPhase",
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
