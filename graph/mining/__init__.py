"""Mined tags (kind MINED): value groups, predictive tags, influence, communities and lookalikes.

Features come out of the graph with Cypher (cypher/mining/); models are scikit-learn and graph
algorithms networkx. Training stores a model and the tag definition; the tag engine's refresh
then writes assignments (run log, history, validity) from `targets.mined_targets`.
"""
