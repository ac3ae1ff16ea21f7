"""secsim: a discrete-event simulation of SEC User Security Assessments under SECMP0044 and its alternatives."""

__version__ = "0.1.0"
