"""Writes of the queue (DESIGN rule 1): one service per change, each guarded and recorded."""

from ._common import business_date_of
from .calling import ticket_call_next, ticket_call_number, ticket_walk_in
from .counters import counter_pause, counter_resume, counter_sign_in, counter_sign_out
from .issuing import issue_refusal, ticket_issue, ticket_issue_online
from .tickets import (
    ticket_cancel,
    ticket_finish,
    ticket_mark_no_show,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)

__all__ = [
    "ticket_issue_online",
    "business_date_of",
    "counter_pause",
    "counter_resume",
    "counter_sign_in",
    "counter_sign_out",
    "issue_refusal",
    "ticket_call_next",
    "ticket_call_number",
    "ticket_cancel",
    "ticket_finish",
    "ticket_issue",
    "ticket_mark_no_show",
    "ticket_recall",
    "ticket_start",
    "ticket_transfer",
    "ticket_walk_in",
]
