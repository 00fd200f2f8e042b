"""Rasa's model graph run in plain topological order instead of through dask.

Rasa 3.6 runs the NLU pipeline and the policies of every turn (one parse and
one prediction per bot action) with ``dask.get``: each run computes the graph's
minimal schema again, builds a dask graph, orders it and schedules every node
through a thread pool's futures, for a graph that is always run on one thread
in one fixed order: a large share of a turn's CPU, beside the components'
own work.

:class:`SequentialGraphRunner` computes the order of each set of targets once
and calls the same nodes (``GraphNode``, with their hooks) the same way dask
does: each node gets its parents' ``(name, output)`` pairs, an input is
passed as ``(input name, value)``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

# Each node to run, in order, with the names of the nodes or inputs it needs.
ExecutionOrder = tuple[tuple[str, tuple[str, ...]], ...]


class SequentialGraphRunner(DaskGraphRunner):
    """A ``DaskGraphRunner`` whose ``run`` calls the nodes one by one, without dask."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As ``DaskGraphRunner``: the schema, storage, context and hooks of the graph."""
        super().__init__(*args, **kwargs)
        self._orders: dict[tuple[str, ...], ExecutionOrder] = {}

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        """Runs the graph for ``targets`` (default: the schema's) with ``inputs``."""
        run_targets = tuple(targets) if targets else tuple(self._graph_schema.target_names)
        inputs = inputs or {}
        for value in inputs.values():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of"
                    " the input names passed to the `run` method are the same as node names"
                    " in the graph schema."
                )
        outputs: dict[str, tuple[str, Any]] = {
            name: (name, value) for name, value in inputs.items()
        }
        try:
            for node_name, needs in self._order(run_targets):
                if node_name not in outputs:  # an input overrides a node of the same name
                    parents = (outputs.get(parent, parent) for parent in needs)
                    outputs[node_name] = self._instantiated_nodes[node_name](*parents)
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(outputs[target] for target in run_targets)

    def _order(self, targets: tuple[str, ...]) -> ExecutionOrder:
        if targets not in self._orders:
            self._orders[targets] = execution_order(self._graph_schema, targets)
        return self._orders[targets]


def execution_order(schema: GraphSchema, targets: tuple[str, ...]) -> ExecutionOrder:
    """The nodes ``targets`` need, each after its parents, with the names of those parents."""
    ordered: dict[str, tuple[str, ...]] = {}

    def visit(node_name: str) -> None:
        if node_name in ordered or node_name not in schema.nodes:
            return  # done already, or an input placeholder
        needs = tuple(schema.nodes[node_name].needs.values())
        for parent in needs:
            visit(parent)
        ordered[node_name] = needs

    for target in targets:
        visit(target)
    return tuple(ordered.items())
