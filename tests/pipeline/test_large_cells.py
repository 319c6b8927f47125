"""A cell larger than the csv module's default field limit (128 KiB) is valid CSV: a run reads
it and releases it (it used to be a traceback with exit 1)."""

import copy

from tests.pipeline.conftest import ROWS


def test_a_megabyte_free_text_cell_is_read_masked_and_released(work):
    rows = copy.deepcopy(ROWS)
    rows[5]["相談内容"] = "特記事項なし。" * (1024 * 1024 // 21) + "山田太郎さんより電話。"
    result = work.setup(rows=rows).run()
    assert result.exit_code == 0, result.stderr
    cell = work.data()["相談内容"].iloc[5]
    assert len(cell) > 128 * 1024 and "山田太郎" not in cell and cell.endswith("さんより電話。")
