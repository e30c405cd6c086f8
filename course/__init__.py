"""Course helpers that are not part of the network itself.

``course.feedback`` gives exercises their instant feedback, ``course.nbNN`` holds the
``check_...`` helpers and plotting helpers of notebook NN, and ``course.student`` makes
student copies of the notebooks without the solutions.
"""
