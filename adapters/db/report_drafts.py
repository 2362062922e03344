"""Reports in progress and their photos (R19), so answers survive reloads and the back button
without ever sitting in a cookie.

A draft is made when the tenant starts; its submission id is made then too and is unique, so
however often the last page is posted, one repair comes of it. Photos belong to the draft until
the repair is stored (the repair store moves them over in its transaction). Drafts left
unsubmitted are purged with their photos after a while (`purge`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.repairs import RepairPhotoRow, RepairRow, ReportDraftRow
from repairs.refs import RepairRef, SubmissionId, TenancyRef

MAX_PHOTOS = 3  # R19


@dataclass(frozen=True)
class Draft:
    id: str
    submission_id: SubmissionId
    tenancy_ref: TenancyRef
    answers: dict[str, Any]
    repair_ref: RepairRef | None  # set once submitted


@dataclass(frozen=True)
class PhotoRecord:
    token: str
    content_type: str
    size_bytes: int
    width: int
    height: int

    @property
    def file_name(self) -> str:
        return f"{self.token}.{'png' if self.content_type == 'image/png' else 'jpg'}"


def new_token() -> str:
    """256 random bits, URL-safe: names a draft or a photo file without revealing anything."""
    return secrets.token_urlsafe(32)


class SqlReportDrafts:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def start(self, tenancy_ref: TenancyRef, answers: dict[str, Any], now: datetime) -> Draft:
        draft = ReportDraftRow(
            id=new_token(), submission_id=str(SubmissionId.generate()),
            tenancy_ref=str(tenancy_ref), answers=dict(answers), created_at=now, updated_at=now,
        )  # fmt: skip
        with self._sessions.begin() as session:
            session.add(draft)
        return Draft(draft.id, SubmissionId(draft.submission_id), tenancy_ref, dict(answers), None)

    def get(self, draft_id: str) -> Draft | None:
        with self._sessions.begin() as session:
            found = session.execute(
                select(ReportDraftRow, RepairRow.reference)
                .outerjoin(RepairRow, RepairRow.id == ReportDraftRow.repair_id)
                .where(ReportDraftRow.id == draft_id)
            ).one_or_none()
        if found is None:
            return None
        row, reference = found
        return Draft(
            row.id, SubmissionId(row.submission_id), TenancyRef(row.tenancy_ref),
            dict(row.answers), RepairRef(reference) if reference else None,
        )  # fmt: skip

    def save(self, draft_id: str, answers: dict[str, Any], now: datetime) -> None:
        """Replace the answers, unless the draft was submitted meanwhile (then nothing)."""
        with self._sessions.begin() as session:
            session.execute(
                update(ReportDraftRow)
                .where(ReportDraftRow.id == draft_id, ReportDraftRow.repair_id.is_(None))
                .values(answers=dict(answers), updated_at=now)
            )

    def add_photo(self, draft_id: str, photo: PhotoRecord, now: datetime) -> bool:
        """False when the draft already has the most photos allowed (R19)."""
        with self._sessions.begin() as session:
            count = session.scalar(select(func.count()).where(RepairPhotoRow.draft_id == draft_id))
            if (count or 0) >= MAX_PHOTOS:
                return False
            session.add(
                RepairPhotoRow(
                    token=photo.token, draft_id=draft_id, content_type=photo.content_type,
                    size_bytes=photo.size_bytes, width=photo.width, height=photo.height,
                    uploaded_at=now,
                )
            )  # fmt: skip
            return True

    def photos(self, draft_id: str) -> list[PhotoRecord]:
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(RepairPhotoRow)
                .where(RepairPhotoRow.draft_id == draft_id)
                .order_by(RepairPhotoRow.id)
            ).all()
            return [_record(row) for row in rows]

    def remove_photo(self, draft_id: str, token: str) -> PhotoRecord | None:
        """Forget a photo not yet part of a repair; returns it so its file can be deleted."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(RepairPhotoRow).where(
                    RepairPhotoRow.token == token,
                    RepairPhotoRow.draft_id == draft_id,
                    RepairPhotoRow.repair_id.is_(None),
                )
            )
            if row is None:
                return None
            session.delete(row)
            return _record(row)

    def photo_for_tenancy(self, token: str, tenancy_ref: TenancyRef) -> PhotoRecord | None:
        """R19: a photo is served only to the tenancy whose draft or repair it belongs to."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(RepairPhotoRow)
                .outerjoin(ReportDraftRow, ReportDraftRow.id == RepairPhotoRow.draft_id)
                .outerjoin(RepairRow, RepairRow.id == RepairPhotoRow.repair_id)
                .where(
                    RepairPhotoRow.token == token,
                    or_(
                        RepairRow.tenancy_ref == str(tenancy_ref),
                        (RepairPhotoRow.repair_id.is_(None))
                        & (ReportDraftRow.tenancy_ref == str(tenancy_ref)),
                    ),
                )
            )
            return _record(row) if row is not None else None

    def purge(self, untouched_since: datetime) -> list[PhotoRecord]:
        """Delete drafts idle since before `untouched_since` and never submitted, with their
        photos; returns the photos so their files can be deleted too."""
        with self._sessions.begin() as session:
            stale = select(ReportDraftRow.id).where(
                ReportDraftRow.updated_at < untouched_since, ReportDraftRow.repair_id.is_(None)
            )
            photos = session.scalars(
                select(RepairPhotoRow).where(
                    RepairPhotoRow.draft_id.in_(stale), RepairPhotoRow.repair_id.is_(None)
                )
            ).all()
            records = [_record(row) for row in photos]
            if records:
                tokens = [r.token for r in records]
                session.execute(delete(RepairPhotoRow).where(RepairPhotoRow.token.in_(tokens)))
            session.execute(delete(ReportDraftRow).where(ReportDraftRow.id.in_(stale)))
            return records


def _record(row: RepairPhotoRow) -> PhotoRecord:
    return PhotoRecord(row.token, row.content_type, row.size_bytes, row.width, row.height)
