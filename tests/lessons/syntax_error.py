"""A test lesson that does not compile."""

import pdlab

lesson = pdlab.lesson(
    question="Is this valid Python?"
    answer="No: a comma is missing above.",
