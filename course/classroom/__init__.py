"""The classroom: hand out the learner's edition, grade what comes back.

- :mod:`course.classroom.handout`: ``python3 course.py handout``, the notebooks a class receives;
- :mod:`course.classroom.grade`: ``python3 course.py grade``, grades.csv and feedback files;
- :mod:`course.classroom.execute`: grades one notebook in a fresh kernel (a subprocess);
- :mod:`course.classroom.submissions`, :mod:`course.classroom.report`: what they read and write.

The teachers' guide is ``docs/teaching.md``.
"""
