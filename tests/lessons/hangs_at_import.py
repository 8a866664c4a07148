# A lesson file that never finishes loading: stopped after --timeout.
while True:
    pass
