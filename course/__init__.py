"""Course helpers that are not part of the network itself.

``course.feedback`` gives exercises their feedback (a :class:`~course.feedback.Result` drawn as a
box, the guard around the learner's code, tiered hints, ``show_answer``); ``course.nbNN`` holds
the ``check_...`` helpers and plotting helpers of notebook NN; ``course.editions`` makes the
learner's edition of a notebook; ``course.workspace`` keeps the learner's ``workspace/`` and
``course.progress`` what the checks record there.
"""
