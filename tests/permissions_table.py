"""Who may do what: the expected answer of every URL pattern, for each role, to GET and POST.

tests/test_permissions.py requests every row as each role (the POST carries a junk field, so a
form that the person may use answers with its errors); a URL pattern with no row fails it.
To add a URL: add a line to TABLE. A row's URL is

    <pattern name>[@<subject>][?<query>]

where the pattern name is the URL's namespaced name (or its route when it has none), the
subject names the object its identifiers come from when not the default (see the `world`
fixture), and the query is added as it stands. Each cell is GET/POST, in these words:

    ok  200: the page, or the form with its errors
    go  302 elsewhere than sign-in (done, or on to another page)
    in  302 to a sign-in page
    no  403 forbidden
    nf  404 not found
    bad 400 bad request
    un  401 unauthenticated (the API without a token or a session)
    na  405 method not allowed

"lead" leads the service the URL's subject belongs to (Adult Care); "other-lead" leads another.
A URL pattern that takes an object's identifier gets it from the row's @subject, else from
DEFAULT_SUBJECTS in tests/test_permissions.py; a model newly registered in the admin needs an
object in that module's `_world()` (keyed "app_label.model").
"""

from dataclasses import dataclass

ROLES = ("anonymous", "member", "lead", "other lead", "BI")
CODES_BY_STATUS = {200: "ok", 401: "un", 403: "no", 404: "nf", 400: "bad", 405: "na"}

TABLE = """
pattern                                                                 anonymous  member     lead       other-lead BI
# The app's pages
home                                                                    in/in      ok/ok      ok/ok      ok/ok      ok/ok
outcome_index                                                           in/in      ok/ok      ok/ok      ok/ok      ok/ok
outcome_report                                                          in/in      ok/ok      ok/ok      ok/ok      ok/ok
dashboard                                                               in/in      ok/na      ok/na      ok/na      ok/na
exception_report                                                        in/in      ok/na      ok/na      ok/na      ok/na
snapshot_list                                                           in/in      ok/na      ok/na      ok/na      ok/na
spc_exceptions                                                          in/in      ok/na      ok/na      ok/na      ok/na
snapshot_publish                                                        in/in      no/no      no/no      no/no      ok/ok
snapshot_detail                                                         in/in      ok/na      ok/na      ok/na      ok/na
measure_detail                                                          in/in      ok/na      ok/na      ok/na      ok/na
my_measures                                                             in/in      no/no      ok/ok      ok/ok      ok/ok
my_measures_preview                                                     in/in      na/no      na/bad     na/bad     na/bad
approvals                                                               in/in      no/no      no/no      no/no      ok/ok
outstanding                                                             in/in      no/no      no/no      no/no      ok/na
value_history                                                           in/in      no/no      ok/ok      no/no      ok/ok
value_override                                                          in/in      no/no      no/no      no/no      ok/ok
value_withdraw                                                          in/in      no/no      no/no      no/no      ok/ok
measure_history                                                         in/in      no/no      ok/ok      no/no      ok/ok
framework                                                               in/in      no/no      no/no      no/no      ok/na
framework_create_measure                                                in/in      no/no      no/no      no/no      ok/ok
framework_targets                                                       in/in      no/no      no/no      no/no      ok/go
framework_copy_year                                                     in/in      no/no      no/no      no/no      ok/ok
framework_bands                                                         in/in      no/no      no/no      no/no      ok/go
rules_broken                                                            in/in      no/no      no/no      no/no      ok/na
rules_broken?period=2020-10                                             in/in      no/no      no/no      no/no      ok/na
framework_formula                                                       in/in      no/no      no/no      no/no      ok/ok
framework_validation_rule_new                                           in/in      no/no      no/no      no/no      ok/ok
framework_validation_rule                                               in/in      no/no      no/no      no/no      ok/ok
framework_rule                                                          in/in      no/no      no/no      no/no      ok/ok
risks:list                                                              in/in      ok/na      ok/na      ok/na      ok/na
risks:detail                                                            in/in      ok/ok      ok/ok      ok/ok      ok/ok
risks:review                                                            in/in      no/no      no/no      no/no      ok/ok
imports:upload                                                          in/in      no/no      no/no      no/no      ok/ok
imports:template                                                        in/in      no/na      no/na      no/na      ok/na
imports:preview                                                         in/in      no/no      no/no      no/no      ok/go
# Background jobs: the BI team's; notifications: everyone's own; the record of e-mails: the BI team's
jobs:list                                                               in/in      no/na      no/na      no/na      ok/na
jobs:detail                                                             in/in      no/na      no/na      no/na      ok/na
jobs:output                                                             in/in      no/na      no/na      no/na      ok/na
notifications:list                                                      in/in      ok/ok      ok/ok      ok/ok      ok/ok
notifications:sent                                                      in/in      no/na      no/na      no/na      ok/na
notifications:unsubscribe                                               nf/nf      nf/nf      nf/nf      nf/nf      nf/nf
imports:progress                                                        in/in      no/na      no/na      no/na      ok/na
imports:mapping_editor                                                  in/in      no/no      no/no      no/no      ok/bad
imports:mapping_list                                                    in/in      no/no      no/no      no/no      ok/bad
imports:mapping_download                                                in/in      no/na      no/na      no/na      ok/na
login                                                                   ok/ok      ok/ok      ok/ok      ok/ok      ok/ok
logout                                                                  na/in      na/in      na/in      na/in      na/in
password_reset                                                          ok/ok      ok/ok      ok/ok      ok/ok      ok/ok
password_reset_done                                                     ok/na      ok/na      ok/na      ok/na      ok/na
password_reset_confirm                                                  ok/ok      ok/ok      ok/ok      ok/ok      ok/ok
password_reset_complete                                                 ok/na      ok/na      ok/na      ok/na      ok/na
# Single sign-on: not found while it is off (its own tests turn it on)
oidc_authentication_init                                                nf/nf      nf/nf      nf/nf      nf/nf      nf/nf
oidc_authentication_callback                                            nf/nf      nf/nf      nf/nf      nf/nf      nf/nf
# People's accounts: the BI team's alone
people                                                                  in/in      no/no      no/no      no/no      ok/na
invite                                                                  in/in      no/no      no/no      no/no      ok/ok
person                                                                  in/in      no/no      no/no      no/no      ok/ok
deactivate                                                              in/in      no/no      no/no      no/no      na/go
reactivate                                                              in/in      no/no      no/no      no/no      na/go
clear_lockout                                                           in/in      no/no      no/no      no/no      na/go
send_invitation_again                                                   in/in      no/no      no/no      no/no      na/go
# Exports, PDFs, and other subjects
value_history@measures.value@draft                                      in/in      no/no      ok/ok      no/no      ok/ok
value_override@measures.value@draft                                     in/in      no/no      no/no      no/no      ok/ok
value_withdraw@measures.value@draft                                     in/in      no/no      no/no      no/no      ok/ok
dashboard?_export=csv                                                   in/in      ok/na      ok/na      ok/na      ok/na
exception_report?committee=people-and-health&as_at=2020-10              in/in      ok/na      ok/na      ok/na      ok/na
exception_report?committee=people-and-health&as_at=2020-10&_export=xlsx in/in      ok/na      ok/na      ok/na      ok/na
exception_report?committee=people-and-health&as_at=2020-10&format=pdf   in/in      ok/na      ok/na      ok/na      ok/na
exception_report?committee=people-and-health&as_at=2020-10&spc=1&_export=csv in/in      ok/na      ok/na      ok/na      ok/na
spc_exceptions?committee=people-and-health&as_at=2020-10                in/in      ok/na      ok/na      ok/na      ok/na
spc_exceptions?committee=people-and-health&as_at=2020-10&_export=csv    in/in      ok/na      ok/na      ok/na      ok/na
dashboard?variation=concern&assurance=failing                           in/in      ok/na      ok/na      ok/na      ok/na
snapshot_detail?_export=csv                                             in/in      ok/na      ok/na      ok/na      ok/na
measure_detail?_export=json                                             in/in      ok/na      ok/na      ok/na      ok/na
risks:list?_export=csv                                                  in/in      ok/na      ok/na      ok/na      ok/na
approvals?_export=csv                                                   in/in      no/no      no/no      no/no      ok/ok
outstanding?_export=csv                                                 in/in      no/no      no/no      no/no      ok/na
# API tokens, the read API (a session here; tokens in tests/api/), and the public pages
api_tokens                                                              in/in      ok/ok      ok/ok      ok/ok      ok/ok
signed_in                                                               in/na      ok/na      ok/na      ok/na      ok/na
revoke_api_token                                                        na/in      na/go      na/nf      na/nf      na/nf
api:api-root                                                            un/un      ok/na      ok/na      ok/na      ok/na
api:schema                                                              ok/na      ok/na      ok/na      ok/na      ok/na
api:docs                                                                ok/na      ok/na      ok/na      ok/na      ok/na
api:exception_report                                                    un/un      bad/na     bad/na     bad/na     bad/na
api:exception_report?committee=people-and-health&as_at=2020-10          un/un      ok/na      ok/na      ok/na      ok/na
api:outcome_report                                                      un/un      ok/na      ok/na      ok/na      ok/na
api:outcome-list                                                        un/un      ok/na      ok/na      ok/na      ok/na
api:outcome-detail                                                      un/un      ok/na      ok/na      ok/na      ok/na
api:populationindicator-list                                            un/un      ok/na      ok/na      ok/na      ok/na
api:populationindicator-detail                                          un/un      ok/na      ok/na      ok/na      ok/na
api:service-list                                                        un/un      ok/na      ok/na      ok/na      ok/na
api:service-detail                                                      un/un      ok/na      ok/na      ok/na      ok/na
api:committee-list                                                      un/un      ok/na      ok/na      ok/na      ok/na
api:committee-detail                                                    un/un      ok/na      ok/na      ok/na      ok/na
api:measure-list                                                        un/un      ok/na      ok/na      ok/na      ok/na
api:measure-detail                                                      un/un      ok/na      ok/na      ok/na      ok/na
api:measure-list?format=csv                                             un/un      ok/na      ok/na      ok/na      ok/na
api:period-list                                                         un/un      ok/na      ok/na      ok/na      ok/na
api:period-detail                                                       un/un      ok/na      ok/na      ok/na      ok/na
api:target-list                                                         un/un      ok/na      ok/na      ok/na      ok/na
api:target-detail                                                       un/un      ok/na      ok/na      ok/na      ok/na
api:value-list                                                          un/un      ok/na      ok/na      ok/na      ok/na
api:value-detail                                                        un/un      ok/na      ok/na      ok/na      ok/na
api:value-detail@measures.value@draft                                   un/un      nf/na      nf/na      nf/na      ok/na
api:comparatorvalue-list                                                un/un      ok/na      ok/na      ok/na      ok/na
api:comparatorvalue-detail                                              un/un      ok/na      ok/na      ok/na      ok/na
api:risk-list                                                           un/un      ok/na      ok/na      ok/na      ok/na
api:risk-detail                                                         un/un      ok/na      ok/na      ok/na      ok/na
api:committeesnapshot-list                                              un/un      ok/na      ok/na      ok/na      ok/na
api:committeesnapshot-detail                                            un/un      ok/na      ok/na      ok/na      ok/na
public:index                                                            ok/na      ok/na      ok/na      ok/na      ok/na
public:measure                                                          ok/na      ok/na      ok/na      ok/na      ok/na
public:measure@measures.measure                                         nf/na      nf/na      nf/na      nf/na      nf/na
public:snapshot                                                         ok/na      ok/na      ok/na      ok/na      ok/na
public:snapshot@reports.committeesnapshot                               nf/na      nf/na      nf/na      nf/na      nf/na
# The admin (the BI team's workbench)
admin:index                                                             in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:login                                                             ok/ok      go/ok      go/ok      go/ok      go/ok
admin:logout                                                            go/go      na/in      na/in      na/in      na/in
admin:password_change                                                   in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:password_change_done                                              in/in      ok/na      ok/na      ok/na      ok/na
admin:autocomplete                                                      in/in      no/na      no/na      no/na      no/na
admin:jsi18n                                                            in/in      ok/na      ok/na      ok/na      ok/na
admin:view_on_site                                                      in/in      go/go      go/go      no/no      go/go
admin:view_on_site@measures.value                                       in/in      go/go      go/go      no/no      go/go
admin:view_on_site@measures.value@draft                                 in/in      nf/nf      go/go      no/no      go/go
admin:auth_group_changelist                                             in/in      no/no      no/no      no/no      no/no
admin:auth_group_add                                                    in/in      no/no      no/no      no/no      no/no
admin:auth_group_history                                                in/in      no/no      no/no      no/no      no/no
admin:auth_group_delete                                                 in/in      no/no      no/no      no/no      no/no
admin:auth_group_change                                                 in/in      no/no      no/no      no/no      no/no
admin/auth/group/<path:object_id>/                                      in/in      go/go      go/go      go/go      go/go
admin:auth_user_password_change                                         in/in      no/no      no/no      no/no      no/no
admin:auth_user_changelist                                              in/in      no/no      no/no      no/no      no/no
admin:auth_user_add                                                     in/in      no/no      no/no      no/no      no/no
admin:auth_user_history                                                 in/in      no/no      no/no      no/no      no/no
admin:auth_user_delete                                                  in/in      no/no      no/no      no/no      no/no
admin:auth_user_change                                                  in/in      no/no      no/no      no/no      no/no
admin/auth/user/<path:object_id>/                                       in/in      go/go      go/go      go/go      go/go
admin:axes_accessattempt_changelist                                     in/in      no/no      no/no      no/no      no/no
admin:axes_accessattempt_add                                            in/in      no/no      no/no      no/no      no/no
admin:axes_accessattempt_history                                        in/in      no/no      no/no      no/no      no/no
admin:axes_accessattempt_delete                                         in/in      no/no      no/no      no/no      no/no
admin:axes_accessattempt_change                                         in/in      no/no      no/no      no/no      no/no
admin/axes/accessattempt/<path:object_id>/                              in/in      go/go      go/go      go/go      go/go
admin:axes_accesslog_changelist                                         in/in      no/no      no/no      no/no      no/no
admin:axes_accesslog_add                                                in/in      no/no      no/no      no/no      no/no
admin:axes_accesslog_history                                            in/in      no/no      no/no      no/no      no/no
admin:axes_accesslog_delete                                             in/in      no/no      no/no      no/no      no/no
admin:axes_accesslog_change                                             in/in      no/no      no/no      no/no      no/no
admin/axes/accesslog/<path:object_id>/                                  in/in      go/go      go/go      go/go      go/go
admin:axes_accessfailurelog_changelist                                  in/in      no/no      no/no      no/no      no/no
admin:axes_accessfailurelog_add                                         in/in      no/no      no/no      no/no      no/no
admin:axes_accessfailurelog_history                                     in/in      no/no      no/no      no/no      no/no
admin:axes_accessfailurelog_delete                                      in/in      no/no      no/no      no/no      no/no
admin:axes_accessfailurelog_change                                      in/in      no/no      no/no      no/no      no/no
admin/axes/accessfailurelog/<path:object_id>/                           in/in      go/go      go/go      go/go      go/go
admin:measures_measure_changelist                                       in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_measure_add                                              in/in      no/no      no/no      no/no      ok/ok
admin:measures_measure_history                                          in/in      ok/ok      ok/ok      no/no      ok/ok
admin:measures_measure_delete                                           in/in      no/no      no/no      no/no      no/no
admin:measures_measure_change                                           in/in      ok/no      ok/ok      no/no      ok/ok
admin/measures/measure/<path:object_id>/                                in/in      go/go      go/go      go/go      go/go
admin:measures_value_changelist                                         in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_value_add                                                in/in      no/no      ok/ok      ok/ok      ok/ok
admin:measures_value_history                                            in/in      ok/ok      ok/ok      no/no      ok/ok
admin:measures_value_delete                                             in/in      no/no      no/no      no/no      no/no
admin:measures_value_change                                             in/in      ok/no      ok/no      no/no      ok/no
admin/measures/value/<path:object_id>/                                  in/in      go/go      go/go      go/go      go/go
admin:measures_target_changelist                                        in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_target_add                                               in/in      no/no      no/no      no/no      ok/ok
admin:measures_target_history                                           in/in      ok/ok      ok/ok      no/no      ok/ok
admin:measures_target_delete                                            in/in      no/no      no/no      no/no      ok/go
admin:measures_target_change                                            in/in      ok/no      ok/no      no/no      ok/ok
admin/measures/target/<path:object_id>/                                 in/in      go/go      go/go      go/go      go/go
admin:measures_comparatorvalue_changelist                               in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_comparatorvalue_add                                      in/in      no/no      no/no      no/no      ok/ok
admin:measures_comparatorvalue_history                                  in/in      ok/ok      ok/ok      no/no      ok/ok
admin:measures_comparatorvalue_delete                                   in/in      no/no      no/no      no/no      ok/go
admin:measures_comparatorvalue_change                                   in/in      ok/no      ok/no      no/no      ok/ok
admin/measures/comparatorvalue/<path:object_id>/                        in/in      go/go      go/go      go/go      go/go
admin:measures_changepoint_changelist                                   in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_changepoint_add                                          in/in      no/no      no/no      no/no      ok/ok
admin:measures_changepoint_history                                      in/in      ok/ok      ok/ok      no/no      ok/ok
admin:measures_changepoint_delete                                       in/in      no/no      no/no      no/no      ok/go
admin:measures_changepoint_change                                       in/in      ok/no      ok/no      no/no      ok/ok
admin/measures/changepoint/<path:object_id>/                            in/in      go/go      go/go      go/go      go/go
admin:measures_populationindicator_changelist                           in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_populationindicator_add                                  in/in      no/no      no/no      no/no      ok/ok
admin:measures_populationindicator_history                              in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_populationindicator_delete                               in/in      no/no      no/no      no/no      ok/go
admin:measures_populationindicator_change                               in/in      ok/no      ok/no      ok/no      ok/ok
admin/measures/populationindicator/<path:object_id>/                    in/in      go/go      go/go      go/go      go/go
admin:measures_outcome_changelist                                       in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_outcome_add                                              in/in      no/no      no/no      no/no      ok/ok
admin:measures_outcome_history                                          in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_outcome_delete                                           in/in      no/no      no/no      no/no      ok/ok
admin:measures_outcome_change                                           in/in      ok/no      ok/no      ok/no      ok/ok
admin/measures/outcome/<path:object_id>/                                in/in      go/go      go/go      go/go      go/go
admin:measures_validationrule_changelist                                in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_validationrule_add                                       in/in      no/no      no/no      no/no      ok/ok
admin:measures_validationrule_history                                   in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_validationrule_delete                                    in/in      no/no      no/no      no/no      ok/go
admin:measures_validationrule_change                                    in/in      ok/no      ok/no      ok/no      ok/ok
admin/measures/validationrule/<path:object_id>/                         in/in      go/go      go/go      go/go      go/go
admin:measures_service_changelist                                       in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_service_add                                              in/in      no/no      no/no      no/no      ok/ok
admin:measures_service_history                                          in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_service_delete                                           in/in      no/no      no/no      no/no      ok/ok
admin:measures_service_change                                           in/in      ok/no      ok/no      ok/no      ok/ok
admin/measures/service/<path:object_id>/                                in/in      go/go      go/go      go/go      go/go
admin:measures_committee_changelist                                     in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_committee_add                                            in/in      no/no      no/no      no/no      ok/ok
admin:measures_committee_history                                        in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_committee_delete                                         in/in      no/no      no/no      no/no      ok/ok
admin:measures_committee_change                                         in/in      ok/no      ok/no      ok/no      ok/ok
admin/measures/committee/<path:object_id>/                              in/in      go/go      go/go      go/go      go/go
admin:measures_period_changelist                                        in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_period_add                                               in/in      no/no      no/no      no/no      no/no
admin:measures_period_history                                           in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:measures_period_delete                                            in/in      no/no      no/no      no/no      ok/ok
admin:measures_period_change                                            in/in      ok/no      ok/no      ok/no      ok/no
admin/measures/period/<path:object_id>/                                 in/in      go/go      go/go      go/go      go/go
admin:risks_risk_simple_history                                         in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_risk_changelist                                             in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_risk_add                                                    in/in      no/no      no/no      no/no      ok/ok
admin:risks_risk_history                                                in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_risk_delete                                                 in/in      no/no      no/no      no/no      ok/go
admin:risks_risk_change                                                 in/in      ok/no      ok/no      ok/no      ok/ok
admin/risks/risk/<path:object_id>/                                      in/in      go/go      go/go      go/go      go/go
admin:risks_risklevelthreshold_changelist                               in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_risklevelthreshold_add                                      in/in      no/no      no/no      no/no      ok/ok
admin:risks_risklevelthreshold_history                                  in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_risklevelthreshold_delete                                   in/in      no/no      no/no      no/no      ok/go
admin:risks_risklevelthreshold_change                                   in/in      ok/no      ok/no      ok/no      ok/ok
admin/risks/risklevelthreshold/<path:object_id>/                        in/in      go/go      go/go      go/go      go/go
admin:notifications_deadline_changelist                                 in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadline_add                                        in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadline_history                                    in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadline_delete                                     in/in      no/no      no/no      no/no      ok/go
admin:notifications_deadline_change                                     in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadlineexception_changelist                        in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadlineexception_add                               in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadlineexception_history                           in/in      no/no      no/no      no/no      ok/ok
admin:notifications_deadlineexception_delete                            in/in      no/no      no/no      no/no      ok/go
admin:notifications_deadlineexception_change                            in/in      no/no      no/no      no/no      ok/ok
admin:notifications_reminderrule_changelist                             in/in      no/no      no/no      no/no      ok/ok
admin:notifications_reminderrule_add                                    in/in      no/no      no/no      no/no      ok/ok
admin:notifications_reminderrule_history                                in/in      no/no      no/no      no/no      ok/ok
admin:notifications_reminderrule_delete                                 in/in      no/no      no/no      no/no      ok/go
admin:notifications_reminderrule_change                                 in/in      no/no      no/no      no/no      ok/ok
admin:notifications_headofservice_changelist                            in/in      no/no      no/no      no/no      ok/ok
admin:notifications_headofservice_add                                   in/in      no/no      no/no      no/no      ok/ok
admin:notifications_headofservice_history                               in/in      no/no      no/no      no/no      ok/ok
admin:notifications_headofservice_delete                                in/in      no/no      no/no      no/no      ok/go
admin:notifications_headofservice_change                                in/in      no/no      no/no      no/no      ok/ok
admin:risks_riskscale_changelist                                        in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_riskscale_add                                               in/in      no/no      no/no      no/no      no/no
admin:risks_riskscale_history                                           in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin:risks_riskscale_delete                                            in/in      no/no      no/no      no/no      ok/go
admin:risks_riskscale_change                                            in/in      ok/no      ok/no      ok/no      ok/ok
admin/notifications/deadline/<path:object_id>/                          in/in      go/go      go/go      go/go      go/go
admin/notifications/deadlineexception/<path:object_id>/                 in/in      go/go      go/go      go/go      go/go
admin/notifications/reminderrule/<path:object_id>/                      in/in      go/go      go/go      go/go      go/go
admin/notifications/headofservice/<path:object_id>/                     in/in      go/go      go/go      go/go      go/go
admin/risks/riskscale/<path:object_id>/                                 in/in      go/go      go/go      go/go      go/go
admin:app_list                                                          in/in      ok/ok      ok/ok      ok/ok      ok/ok
admin/<url>                                                             in/in      nf/nf      nf/nf      nf/nf      nf/nf
admin:measures_value_change@measures.value@draft                        in/in      go/no      ok/ok      no/no      ok/ok
admin:measures_value_delete@measures.value@draft                        in/in      no/no      ok/go      no/no      ok/go
admin:measures_value_history@measures.value@draft                       in/in      go/go      ok/ok      no/no      ok/ok
"""


@dataclass(frozen=True)
class Row:
    key: str
    expected: dict

    @property
    def pattern(self):
        return self.key.split("?", 1)[0].split("@", 1)[0]

    @property
    def subject(self):
        head = self.key.split("?", 1)[0]
        return head.split("@", 1)[1] if "@" in head else ""

    @property
    def query(self):
        return "?" + self.key.split("?", 1)[1] if "?" in self.key else ""


def _rows(table):
    lines = [line.split() for line in table.strip().splitlines()[1:] if line.strip() and not line.startswith("#")]
    return [Row(key, dict(zip(ROLES, cells, strict=True))) for key, *cells in lines]


ROWS = _rows(TABLE)

# The README's "Security model" table: what each role may do, read from the rows above.
SUMMARY = [
    ("Read the reports, dashboards, their exports and PDFs", "dashboard", "GET"),
    ("Enter and submit their services' figures (My measures)", "my_measures", "POST"),
    ("Change a draft value in the admin", "admin:measures_value_change@measures.value@draft", "POST"),
    ("Change a submitted, approved or published value in the admin", "admin:measures_value_change", "POST"),
    ("Delete a published value", "admin:measures_value_delete", "POST"),
    ("Read a value's audit trail", "value_history", "GET"),
    ("Approve, return and publish values and revisions", "approvals", "POST"),
    ("Override a RAG", "value_override", "POST"),
    ("Withdraw a published value", "value_withdraw", "POST"),
    ("Change a measure's title and definition", "admin:measures_measure_change", "POST"),
    ("Add measures; change targets, ratings rules, committees", "admin:measures_measure_add", "POST"),
    ("Record a risk review", "risks:review", "POST"),
    ("Import figures and risk registers", "imports:upload", "POST"),
    ("Publish a committee's exception report", "snapshot_publish", "POST"),
    ("Invite people, set their roles, deactivate accounts, clear sign-in lockouts", "invite", "POST"),
]
WORDS = {"ok": "yes", "go": "yes", "no": "no", "in": "sign in", "nf": "no", "na": "no", "bad": "yes"}


def summary_markdown():
    """The who-may-do-what table, as the README shows it."""
    by_key = {row.key: row for row in ROWS}
    lines = [
        "| What | Anonymous | Scrutiny member | Lead of the service | Lead of another service | BI team |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for what, key, method in SUMMARY:
        cells = [by_key[key].expected[role].split("/")[method == "POST"] for role in ROLES]
        lines.append(f"| {what} | " + " | ".join(WORDS[cell] for cell in cells) + " |")
    return "\n".join(lines)
