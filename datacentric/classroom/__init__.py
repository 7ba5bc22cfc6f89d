"""The classroom: rooms an instructor opens behind a passcode, learners joining with a code, a challenge with a
public and a private leaderboard, and the instructor's view of the class. Plain Python, like the rest of the core:
``rooms`` (codes, names, settings), ``gate`` (the passcode), ``contest`` (splits, scores, rankings), ``roster``
(the rooms in the store) and ``report`` (what the instructor sees of the class)."""
