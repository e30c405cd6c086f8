"""Which notebook introduces which module of ``mlp``: the one table of the course's layers.

A module introduced by notebook N may import only modules introduced by notebook N or
earlier, so that the code a learner reads in notebook N holds nothing taught after it.
``tests/test_notebooks.py`` checks this by following every import (imports of imports,
and the notebook's helper ``course/nbNN.py``), and CONTRIBUTING.md points here.

Later notebooks may add functions to an earlier module (softmax joins ``activations`` in
07, for instance) as long as the module still imports nothing later. Support that no
notebook teaches (:data:`SUPPORT`) has a number too: the first notebook that uses it.
"""

#: module -> the notebook that introduces it.
INTRODUCED_IN: dict[str, int] = {
    "data": 0,  # load_mnist, to_columns, one_hot, load_data
    "activations": 1,  # sigmoid (07: softmax; 09: tanh, relu)
    "network": 1,  # Network, feedforward; 02: the quadratic cost; 04: backprop
    "costs": 2,  # quadratic (07: cross-entropy, log-likelihood)
    "descent": 2,  # gradient steps on a surface
    "gradcheck": 3,  # finite differences
    "train": 5,  # sgd with hooks: update rule, penalty, callbacks
    "metrics": 5,  # accuracy, confusion matrix
    "images": 6,  # a drawing or PNG -> a 28 x 28 column, as MNIST was made
    "init": 7,  # scaled and He initialisation
    "regularization": 8,  # L2, L1, dropout, early stopping
    "augment": 8,  # shifted images
    "optim": 9,  # momentum, AdaGrad, RMSProp, Adam
    "schedules": 9,  # learning-rate schedules
    "io": 12,  # save, load (.npz, no pickle)
    # Support no notebook teaches:
    "progress": 0,  # the progress bar
    "_files": 0,  # IDX and CSV files, checksums (appendix A1)
    "_download": 0,  # downloads from mirrors (appendix A1)
    "cli": 12,  # the command line, which composes everything
    "__main__": 12,  # python -m mlp
    "_chapters": 0,  # this table
}

#: The modules above that are support, not taught.
SUPPORT = frozenset({"progress", "_files", "_download", "cli", "__main__", "_chapters"})
