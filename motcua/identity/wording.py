"""What the citizen is told about a face check: the challenge and each outcome, in plain Vietnamese.

Shared by the kiosk's own screens (`kiosk.identity_views`) and the face-check API for native
kiosk apps (`api.identity`), so that both say the same thing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from motcua.identity.models import FaceCheck

Result = FaceCheck.Result

CHALLENGE_TEXT = {
    "blink": gettext_lazy("Hãy chớp mắt"),
    "turn_left": gettext_lazy("Hãy quay đầu sang trái"),
    "turn_right": gettext_lazy("Hãy quay đầu sang phải"),
}
# Title and default explanation of each outcome (the engine's own message is shown when it has one).
OUTCOMES: dict[str, tuple[Any, Any]] = {
    Result.MATCH: (gettext_lazy("Xác thực thành công"),
                   gettext_lazy("Khuôn mặt của quý khách khớp với ảnh trên thẻ căn cước.")),
    Result.NO_MATCH: (gettext_lazy("Khuôn mặt chưa khớp với ảnh trên thẻ"),
                      gettext_lazy("Vui lòng bỏ kính, khẩu trang, nhìn thẳng vào camera rồi thử lại.")),
    Result.NO_FACE: (gettext_lazy("Không nhìn thấy khuôn mặt"),
                     gettext_lazy("Vui lòng đứng trước kiosk và nhìn thẳng vào camera.")),
    Result.SEVERAL_FACES: (gettext_lazy("Có nhiều khuôn mặt trong khung hình"),
                           gettext_lazy("Mỗi lần chỉ một người đứng trước camera; người đi cùng vui lòng lùi ra sau.")),
    Result.POOR_IMAGE: (gettext_lazy("Ảnh quá tối hoặc bị mờ"),
                        gettext_lazy("Vui lòng đứng yên, nhìn thẳng vào camera, tránh ánh sáng chiếu từ phía sau.")),
    Result.NOT_LIVE: (gettext_lazy("Chưa xác nhận được người thật"),
                      gettext_lazy("Vui lòng làm đúng theo hướng dẫn trên màn hình khi chụp rồi thử lại.")),
    Result.NO_REFERENCE: (gettext_lazy("Ảnh trên thẻ không dùng được"),
                          gettext_lazy("Không nhận ra khuôn mặt trong ảnh của thẻ căn cước.")),
    "refused": (gettext_lazy("Chưa thể xác thực"), gettext_lazy("Vui lòng làm thủ tục tại quầy.")),
}  # fmt: skip
# After these the citizen goes to a counter: trying again cannot change the answer.
NO_RETRY = frozenset({Result.NO_REFERENCE, "refused"})


def may_retry(result: str) -> bool:
    return result not in NO_RETRY and result != Result.MATCH
