"""The face engine of the kiosk's 1:1 check (ADR 0009): dlib called directly, nothing kept."""

from motcua.identity.face.engine import CHALLENGES, FaceOutcome, check_face, describe

__all__ = ["CHALLENGES", "FaceOutcome", "check_face", "describe"]
