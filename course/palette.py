"""The course's colours: the Okabe-Ito palette, told apart by readers with every common kind
of colour blindness (Okabe and Ito, *Color Universal Design*, 2008). Every notebook's
pictures use these names; diverging maps are ``PuOr`` or ``RdBu``, sequential ones
``viridis`` or ``cividis``."""

BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"  # bluish green
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"  # reddish purple

#: The palette in the order matplotlib should cycle through it.
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK]
