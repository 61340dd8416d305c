"""article_pipeline_tools: the laptop side of article-pipeline, never shipped to Lambda.

The ``article-pipeline`` command line (``cli``), the HTML report, the cross-article queries, and
the embedded default (``local``: template.yaml's stack on moto, with the real handlers). It uses
the ``article_pipeline`` domain package; nothing there imports from here.
"""
