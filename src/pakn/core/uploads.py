"""Too many files in one request: refused by the form with the limit stated, the typed text kept.

Django refuses a request with more than ``DATA_UPLOAD_MAX_NUMBER_FILES`` files with a bare 400 and throws
away every field, the text included. ``FileCountUploadHandler``, first in ``FILE_UPLOAD_HANDLERS``, keeps
the first ``MAX_FILES`` files of each field as usual and reads the rest without keeping a byte: each is the
same empty placeholder, so the field still counts every file chosen and ``check_uploads`` answers "at most
5 files" while the text fields reach the form. Memory stays bounded whatever the number of files; the hard
ceiling of ``DATA_UPLOAD_MAX_NUMBER_FILES`` is then only for requests no person sends.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from pakn.core.validate import MAX_FILES


class FileCountUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None):
        super().__init__(request)
        self.per_field: dict[str, int] = {}
        self.placeholder: InMemoryUploadedFile | None = None
        self.over = False

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.per_field[field_name] = self.per_field.get(field_name, 0) + 1
        self.over = self.per_field[field_name] > MAX_FILES
        if self.over:
            raise StopFutureHandlers  # the handlers after this one never see the file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.over:
            return None  # kept by the next handler
        if self.placeholder is None:
            # Not empty in size, so the form counts it instead of calling it an empty file; never read.
            self.placeholder = InMemoryUploadedFile(
                io.BytesIO(b""), self.field_name, self.file_name, self.content_type, max(file_size, 1), None
            )
            self.placeholder.over_limit = True  # type: ignore[attr-defined]
        return self.placeholder
