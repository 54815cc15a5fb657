"""STUDIO_DATA_MEMORY: the memory a data set may take, where the machine's free memory is not the answer."""

import pytest

from studio.core.memory import MemorySettingError, available_memory, data_memory_limit


def test_the_variable_sets_the_limit_in_bytes_or_with_a_unit():
    assert data_memory_limit(0.5, {"STUDIO_DATA_MEMORY": "1000"}) == 1000
    assert data_memory_limit(0.5, {"STUDIO_DATA_MEMORY": "2G"}) == 2 * 1024 ** 3
    assert data_memory_limit(0.5, {"STUDIO_DATA_MEMORY": " 512MiB "}) == 512 * 1024 ** 2
    assert data_memory_limit(0.5, {"STUDIO_DATA_MEMORY": "1.5k"}) == 1536


def test_without_it_the_limit_is_a_share_of_what_is_free():
    assert 0 < data_memory_limit(0.5, {}) <= available_memory()


@pytest.mark.parametrize("value", ["lots", "nan", "-1G", "inf", "G"])
def test_a_value_that_is_not_a_size_is_said_in_one_line(value):
    with pytest.raises(MemorySettingError, match="STUDIO_DATA_MEMORY=.* is not a size"):
        data_memory_limit(0.5, {"STUDIO_DATA_MEMORY": value})
