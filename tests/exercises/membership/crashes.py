LESSON = "membership"
import ctypes


def solve(df):
    # Reads address 0: the worker dies of SIGSEGV.
    return ctypes.string_at(0)
