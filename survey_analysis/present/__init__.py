"""Top layer, present: tables, plots, the HTML report, exports and the command line.

Presentation only calls the layers below; it computes no statistic itself.
"""
