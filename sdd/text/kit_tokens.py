"""What the templates of the kits sdd works with leave behind, as data (DESIGN §3).

``KIT_TEMPLATE_LINES``: lines of spec-kit's and Spec-Kit Plus's spec, plan, tasks, checklist,
constitution and agent-file templates that hold their bracketed tokens. Their tokens (the
brackets that are not labels, markers or links, see ``sdd.text.placeholders``) join those
of sdd's packaged templates and the project's own overrides as the vocabulary of placeholders.
A line is kept as the kit writes it so that a token is judged in its template's context.
"""

from __future__ import annotations

KIT_TEMPLATE_LINES: tuple[str, ...] = (
    # spec-template.md
    "# Feature Specification: [FEATURE NAME]",
    "**Created**: [DATE]",
    "### User Story 1 - [Brief Title] (Priority: P1)",
    "[Describe this user journey in plain language]",
    "**Why this priority**: [Explain the value and why it has this priority level]",
    "**Independent Test**: [Describe how this can be tested independently]",
    "1. **Given** [initial state], **When** [action], **Then** [expected outcome]",
    "- What happens when [boundary condition]?",
    "- How does system handle [error scenario]?",
    "[Add more user stories as needed, each with an assigned priority]",
    "- **[Entity 1]**: [What it represents, key attributes without implementation]",
    "- **[Entity 2]**: [What it represents, relationships to other entities]",
    "- **SC-001**: [Measurable metric]",
    "- [Assumption about target users]",
    # plan-template.md
    "# Implementation Plan: [FEATURE]",
    "**Date**: [DATE] | **Spec**: [link]",
    "[Extract from feature spec: primary requirement + technical approach from research]",
    "**Project Type**: [single/web/mobile - determines source structure]",
    "[Gates determined based on constitution file]",
    "# [REMOVE IF UNUSED] Option 1: Single project (DEFAULT)",
    "└── [same as backend above]",
    "└── [platform-specific structure: feature modules, UI flows, platform tests]",
    "**Structure Decision**: [Document the selected structure and reference the real directories]",
    "- Decision: [what was chosen]",
    "- Rationale: [why chosen]",
    "- Alternatives considered: [what else evaluated]",
    "| [e.g., 4th project] | [current need] | [why 3 projects insufficient] |",
    "| [e.g., Repository pattern] | [specific problem] | [why direct DB access insufficient] |",
    # tasks-template.md
    "# Tasks: [FEATURE NAME]",
    "## Phase 3: User Story 1 - [Title] (Priority: P1)",
    "**Goal**: [Brief description of what this story delivers]",
    "**Independent Test**: [How to verify this story works on its own]",
    "- [ ] T002 Initialize [language] project with [framework] dependencies",
    "- [ ] T011 [P] [US1] Integration test for [user journey] in tests/integration/test.py",
    "- [ ] T012 [P] [US1] Create [Entity1] model in src/models/entity.py",
    "- [ ] T014 [US1] Implement [Service] in src/services/service.py",
    "- [ ] T015 [US1] Implement [endpoint/feature] in src/feature.py",
    "[Add more user story phases as needed, following the same pattern]",
    # checklist-template.md
    "# [CHECKLIST TYPE] Checklist: [FEATURE NAME]",
    "**Purpose**: [Brief description of what this checklist covers]",
    "## [Category 1]",
    "- [ ] CHK001 First checklist item with clear action",
    # constitution template
    "# [PROJECT_NAME] Constitution",
    "### [PRINCIPLE_1_NAME]",
    "[PRINCIPLE_1_DESCRIPTION]",
    "## [SECTION_2_NAME]",
    "[SECTION_2_CONTENT]",
    "[GOVERNANCE_RULES]",
    "**Version**: [CONSTITUTION_VERSION] | **Ratified**: [RATIFICATION_DATE]",
    "**Last Amended**: [LAST_AMENDED_DATE]",
    # agent-file-template.md
    "# [PROJECT NAME] Development Guidelines",
    "Auto-generated from all feature plans. Last updated: [DATE]",
    "[EXTRACTED FROM ALL PLAN.MD FILES]",
    "[ACTUAL STRUCTURE FROM PLANS]",
    "[ONLY COMMANDS FOR ACTIVE TECHNOLOGIES]",
    "[LANGUAGE-SPECIFIC, ONLY FOR LANGUAGES IN USE]",
    "[LAST 3 FEATURES AND WHAT THEY ADDED]",
)
