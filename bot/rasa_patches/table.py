"""Every run-time replacement of Rasa 3.6.21 the bot makes, in one table.

Each row names the attribute replaced, its replacement, the group it is
installed with, what of Rasa it relies on (what to read again on a Rasa
upgrade), and the test that holds it to Rasa's own result. docs/rasa-patches.md
explains the groups and the upgrade checklist; a test keeps that page and this
table in step.
"""

from __future__ import annotations

from bot.rasa_patches.registry import Patch

# What each group is for, and who installs it.
TURN = "turn"  # the work of every turn: the Rasa server, and tests' and benchmarks' Agent
SERVING = "serving"  # the Rasa server process (bot.ops.rasa_server run/shell, the chat channels)
SHARED_PORT = "shared_port"  # several Rasa server processes on one port (RASA_WORKERS > 1)
TRAINING = "training"  # rasa train (make train)
COMMAND_LINE = "command_line"  # every rasa command bot.ops.rasa_server runs
GROUPS = (TURN, SERVING, SHARED_PORT, TRAINING, COMMAND_LINE)

_TURN = "bot.rasa_patches.turn"
_SERVING = "bot.rasa_patches.serving"
_TRAINING = "bot.rasa_patches.training"
_TESTS = "tests/bot/rasa_patches"

PATCHES: tuple[Patch, ...] = (
    Patch(
        "rasa.core.processor:DaskGraphRunner",
        f"{_TURN}.graph_runner:SequentialGraphRunner",
        TURN,
        "GraphRunner's interface (run, instantiate); the schema's nodes and needs",
        f"{_TESTS}/turn/test_graph_runner.py",
    ),
    Patch(
        "rasa.shared.core.slots:Slot.__copy__",
        f"{_TURN}.slot_copies:copy_slot",
        TURN,
        "every Slot attribute is set in __init__ and copied shallowly by copy.copy",
        f"{_TESTS}/turn/test_slot_copies.py",
    ),
    Patch(
        "rasa.shared.core.trackers:DialogueStateTracker.copy",
        f"{_TURN}.tracker_copies:copy_tracker",
        TURN,
        "the attributes a replay onto init_copy() leaves; BotUttered/UserUttered.empty()",
        f"{_TESTS}/turn/test_tracker_copies.py",
    ),
    Patch(
        "rasa.shared.core.domain:Domain.states_for_tracker_history",
        f"{_TURN}.history_states:states_for_tracker_history",
        TURN,
        "Domain.states_for_tracker_history and past_states' replay of applied events",
        f"{_TESTS}/turn/test_history_states.py",
    ),
    Patch(
        "rasa.core.policies.rule_policy:RulePolicy._get_possible_keys",
        f"{_TURN}.rule_matching:possible_keys",
        TURN,
        "RulePolicy._is_rule_applicable, _does_rule_match_state and the rule key format",
        f"{_TESTS}/turn/test_rule_matching.py",
    ),
    Patch(
        "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer:"
        "CountVectorsFeaturizer._create_features",
        f"{_TURN}.count_vectors:create_features_directly",
        TURN,
        "the vocabulary and scikit-learn CountVectorizer analyzers the featurizer trains",
        f"{_TESTS}/turn/test_count_vectors.py",
    ),
    Patch(
        "rasa.nlu.classifiers.logistic_regression_classifier:LogisticRegressionClassifier.process",
        f"{_TURN}.intent_scores:process_directly",
        TURN,
        "the classifier's sparse sentence features and its scikit-learn model",
        f"{_TESTS}/turn/test_intent_scores.py",
    ),
    Patch(
        "rasa.shared.core.domain:Domain.is_empty",
        f"{_TURN}.domain_emptiness:is_empty",
        TURN,
        "a loaded Domain is never changed (merging makes a new one)",
        f"{_TESTS}/turn/test_domain_emptiness.py",
    ),
    *(
        Patch(
            f"{module}:copy",
            f"{_TURN}.debug_log_copies:COPIES_FOR_DEBUG_LINES",
            TURN,
            "the module copies (copy.deepcopy) only for debug log lines",
            f"{_TESTS}/turn/test_debug_log_copies.py",
        )
        for module in (
            "rasa.core.processor",
            "rasa.core.policies.memoization",
            "rasa.core.policies.rule_policy",
            "rasa.core.actions.forms",
        )
    ),
    Patch(
        "rasa.shared.core.events:Event.resolve_by_type",
        f"{_TURN}.event_types:resolve_by_type",
        TURN,
        "each Event subclass has a type name of its own",
        f"{_TESTS}/turn/test_event_types.py",
    ),
    Patch(
        "rasa.core.run:load_agent_on_start",
        f"{_SERVING}.agent_loading:loading_kept_alive_then_frozen",
        SERVING,
        "load_agent_on_start(model_path, endpoints, ...) and AvailableEndpoints.action",
        f"{_TESTS}/serving/test_action_connections.py",
        wraps=True,
    ),
    Patch(
        "rasa.core.run:close_resources",
        f"{_SERVING}.agent_loading:closing_action_connections",
        SERVING,
        "close_resources(app, loop) as Sanic's after_server_stop listener; app.ctx.agent",
        f"{_TESTS}/serving/test_action_connections.py",
        wraps=True,
    ),
    Patch(
        "rasa.core.actions.action:RemoteAction._validate_action_result",
        f"{_SERVING}.action_schema:validate_action_result",
        SERVING,
        "RemoteAction.action_response_format_spec and rasa.shared's EVENT_SCHEMA",
        f"{_TESTS}/serving/test_action_schema.py",
    ),
    Patch(
        "rasa.core.actions.action:RemoteAction.run",
        f"{_SERVING}.remote_action_watch:watching",
        SERVING,
        "RemoteAction.run raises on a failed call; forms raise ActionExecutionRejection",
        f"{_TESTS}/serving/test_remote_action_watch.py",
        wraps=True,
        for_speed=False,
    ),
    Patch(
        "rasa.core.actions.action:ActionRetrieveResponse.run",
        f"{_SERVING}.retrieval_without_selection:answering_only_a_selection",
        SERVING,
        "ActionRetrieveResponse.run reads the response selector's choice from parse_data",
        f"{_TESTS}/serving/test_retrieval_without_selection.py",
        wraps=True,
        for_speed=False,
    ),
    *(
        Patch(
            f"rasa.core.tracker_store:FailSafeTrackerStore.{method}",
            f"{_SERVING}.tracker_store_failures:fail",
            SERVING,
            "FailSafeTrackerStore calls these two hooks where it falls back",
            f"{_TESTS}/serving/test_tracker_store_failures.py",
            for_speed=False,
        )
        for method in ("on_tracker_store_error", "on_tracker_store_retrieve_error")
    ),
    Patch(
        "sanic.server.runners:serve",
        f"{_SERVING}.shared_port:serving_on_a_shared_port",
        SHARED_PORT,
        "Sanic 21.12's serve(..., reuse_port=...) (Rasa pins Sanic 21.12)",
        f"{_TESTS}/serving/test_shared_port.py",
        wraps=True,
    ),
    Patch(
        "rasa.shared.utils.validation:validate_yaml_schema",
        f"{_TRAINING}.validated_yaml_cache:remembering_validations",
        TRAINING,
        "validate_yaml_schema(content, schema_path, ...) is a pure check",
        f"{_TESTS}/training/test_validated_yaml_cache.py",
        wraps=True,
    ),
    Patch(
        "rasa.utils.common:find_unavailable_packages",
        f"{_TRAINING}.package_probe:unavailable_packages",
        TRAINING,
        "find_unavailable_packages(names) -> the names that cannot be imported",
        f"{_TESTS}/training/test_package_probe.py",
    ),
    Patch(
        "rasa.utils.common:_filter_warnings",
        f"{_TRAINING}.faq_warning_filter:ignoring_faq_examples_without_response",
        COMMAND_LINE,
        "Rasa's CLI sets its warning filters in _filter_warnings; the warning's wording",
        f"{_TESTS}/training/test_faq_warning_filter.py",
        wraps=True,
        for_speed=False,
    ),
)
