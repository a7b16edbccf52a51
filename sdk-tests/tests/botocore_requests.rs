//! Every case of `fixtures/botocore_requests.json` (except the five that `seed_operations.rs`
//! covers), called with the generated fluent clients against a real local server: the request
//! must be exactly the one botocore 1.43.11 builds for the same parameters.

use awsgen_runtime::{Blob, DateTime};
use sdk_tests::{
    CannedResponse, RecordedRequest, TestServer, assert_botocore_request, test_config,
};
use serde_json::json;

/// A response without a body (and without a content type), as services send for 202 and 204.
fn empty_response(status: u16) -> CannedResponse {
    CannedResponse {
        status,
        headers: Vec::new(),
        body: Vec::new(),
        hang_up: false,
    }
}

/// The one request the server received; fails when it received none or several.
fn only_request(server: &TestServer) -> RecordedRequest {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

/// Asserts that `token` is a lower-case UUID version 4 (RFC 4122 variant).
fn assert_uuid_v4(token: &str) {
    let groups: Vec<&str> = token.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{token}"
    );
    assert!(
        groups
            .iter()
            .all(|g| g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))),
        "{token}"
    );
    assert!(groups[2].starts_with('4'), "version 4: {token}");
    assert!(
        matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
        "RFC 4122 variant: {token}"
    );
}

// ---------------------------------------------------------------------------------------------
// QConnect (rest-json): labels, query strings, 202/204 responses, unions, documents, timestamps
// in the body, and an idempotency token filled in by the client.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn qconnect_list_tags_for_resource_arn_label() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"tags": {"env": "prod"}}"#));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .list_tags_for_resource()
        .resource_arn(
            "arn:aws:wisdom:us-west-2:123456789012:knowledge-base/8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b",
        )
        .send()
        .await
        .expect("qconnect_ListTagsForResource_arn_label");
    assert_botocore_request(
        "qconnect_ListTagsForResource_arn_label",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_tag_resource_map_body() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .tag_resource()
        .resource_arn(
            "arn:aws:wisdom:us-west-2:123456789012:knowledge-base/8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b",
        )
        .tags("cost-center", "1234")
        .tags("env", "prod")
        .tags("team name", "Q & A ü")
        .send()
        .await
        .expect("qconnect_TagResource_map_body");
    assert_botocore_request("qconnect_TagResource_map_body", &only_request(&server));
}

#[tokio::test]
async fn qconnect_untag_resource_list_query() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .untag_resource()
        .resource_arn(
            "arn:aws:wisdom:us-west-2:123456789012:knowledge-base/8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b",
        )
        .tag_keys("env")
        .tag_keys("team name")
        .tag_keys("a+b~c/d:e")
        .tag_keys("ü")
        .send()
        .await
        .expect("qconnect_UntagResource_list_query");
    assert_botocore_request("qconnect_UntagResource_list_query", &only_request(&server));
}

#[tokio::test]
async fn qconnect_delete_ai_guardrail_202() {
    let server = TestServer::start().await;
    server.respond(empty_response(202));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .delete_ai_guardrail()
        .ai_guardrail_id("9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a")
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .send()
        .await
        .expect("qconnect_DeleteAIGuardrail_202");
    assert_botocore_request("qconnect_DeleteAIGuardrail_202", &only_request(&server));
}

#[tokio::test]
async fn qconnect_delete_ai_guardrail_version_202_long_label() {
    let server = TestServer::start().await;
    server.respond(empty_response(202));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .delete_ai_guardrail_version()
        .ai_guardrail_id("9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a")
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .version_number(3)
        .send()
        .await
        .expect("qconnect_DeleteAIGuardrailVersion_202_long_label");
    assert_botocore_request(
        "qconnect_DeleteAIGuardrailVersion_202_long_label",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_delete_assistant_204_delete_empty() {
    let server = TestServer::start().await;
    server.respond(empty_response(204));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .delete_assistant()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .send()
        .await
        .expect("qconnect_DeleteAssistant_204_delete_empty");
    assert_botocore_request(
        "qconnect_DeleteAssistant_204_delete_empty",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_remove_assistant_ai_agent_204_query() {
    use awsgen_qconnect::types::AiAgentType;
    let server = TestServer::start().await;
    server.respond(empty_response(204));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .remove_assistant_ai_agent()
        .ai_agent_type(AiAgentType::AnswerRecommendation)
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .orchestrator_use_case("Connect.SelfService")
        .send()
        .await
        .expect("qconnect_RemoveAssistantAIAgent_204_query");
    assert_botocore_request(
        "qconnect_RemoveAssistantAIAgent_204_query",
        &only_request(&server),
    );
}

// GetRecommendations is deprecated in the model; botocore still sends it.
#[allow(deprecated)]
#[tokio::test]
async fn qconnect_get_recommendations_integer_query() {
    use awsgen_qconnect::types::RecommendationType;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"recommendations": []}"#));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .get_recommendations()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .max_results(5)
        .next_chunk_token("chunk/1+2")
        .recommendation_type(RecommendationType::GenerativeAnswer)
        .session_id("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        .wait_time_seconds(0)
        .send()
        .await
        .expect("qconnect_GetRecommendations_integer_query");
    assert_botocore_request(
        "qconnect_GetRecommendations_integer_query",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_list_assistants_get_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"assistantSummaries": []}"#));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .list_assistants()
        .send()
        .await
        .expect("qconnect_ListAssistants_get_empty");
    assert_botocore_request("qconnect_ListAssistants_get_empty", &only_request(&server));
}

#[tokio::test]
async fn qconnect_update_session_post_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"session": {"sessionId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "name": "session"}}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .update_session()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .session_id("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        .send()
        .await
        .expect("qconnect_UpdateSession_post_empty");
    assert_botocore_request("qconnect_UpdateSession_post_empty", &only_request(&server));
}

#[tokio::test]
async fn qconnect_update_session_nested_unions_maps() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"session": {"sessionId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "name": "session"}}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .update_session()
        .ai_agent_configuration(
            AiAgentType::AnswerRecommendation,
            AiAgentConfigurationData::builder()
                .ai_agent_id("c0ffee00-1234-4abc-8def-0123456789ab")
                .build(),
        )
        .ai_agent_configuration(
            AiAgentType::ManualSearch,
            AiAgentConfigurationData::builder()
                .ai_agent_id("c0ffee00-1234-4abc-8def-0123456789ab:2")
                .build(),
        )
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .description("escalated session")
        .orchestrator_configuration_list(
            OrchestratorConfigurationEntry::builder()
                .ai_agent_id("c0ffee00-1234-4abc-8def-0123456789ab")
                .orchestrator_use_case("Connect.SelfService")
                .build(),
        )
        .remove_orchestrator_configuration_list(false)
        .session_id("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        .tag_filter(TagFilter::OrConditions(vec![
            OrCondition::TagCondition(TagCondition::builder().key("tier").value("gold").build()),
            OrCondition::AndConditions(vec![
                TagCondition::builder().key("region").value("emea").build(),
                TagCondition::builder().key("vip").build(),
            ]),
        ]))
        .send()
        .await
        .expect("qconnect_UpdateSession_nested_unions_maps");
    assert_botocore_request(
        "qconnect_UpdateSession_nested_unions_maps",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_create_ai_agent_version_body_timestamp_fractional() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"aiAgent": {"aiAgentId": "c0ffee00-1234-4abc-8def-0123456789ab", "name": "agent"}, "versionNumber": 2}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .create_ai_agent_version()
        .ai_agent_id("c0ffee00-1234-4abc-8def-0123456789ab")
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .client_token("create-ai-agent-version-token")
        .modified_time(DateTime::parse_iso8601("2024-05-06T07:08:09.987654Z").unwrap())
        .send()
        .await
        .expect("qconnect_CreateAIAgentVersion_body_timestamp_fractional");
    assert_botocore_request(
        "qconnect_CreateAIAgentVersion_body_timestamp_fractional",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_activate_message_template_qualified_label_long_body() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"messageTemplateArn": "arn:aws:wisdom:us-west-2:123456789012:message-template/8c1f3a52/3c4d5e6f",
            "messageTemplateId": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "versionNumber": 9007199254740993}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .activate_message_template()
        .knowledge_base_id("8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b")
        .message_template_id("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f:$LATEST")
        .version_number(9_007_199_254_740_993_i64)
        .send()
        .await
        .expect("qconnect_ActivateMessageTemplate_qualified_label_long_body");
    let request = only_request(&server);
    assert_botocore_request(
        "qconnect_ActivateMessageTemplate_qualified_label_long_body",
        &request,
    );
    // The comparison goes through f64, which cannot tell 2^53 + 1 from 2^53: check the digits.
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("9007199254740993"), "{body}");
}

#[tokio::test]
async fn qconnect_retrieve_union_document_filter() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"results": []}"#));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .retrieve()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .retrieval_configuration(
            RetrievalConfiguration::builder()
                .filter(RetrievalFilterConfiguration::AndAll(vec![
                    RetrievalFilterConfiguration::Equals(
                        FilterAttribute::builder()
                            .key("category")
                            .value(json!("account"))
                            .build(),
                    ),
                    RetrievalFilterConfiguration::In(
                        FilterAttribute::builder()
                            .key("locale")
                            .value(json!(["en-US", "en-GB"]))
                            .build(),
                    ),
                    RetrievalFilterConfiguration::GreaterThan(
                        FilterAttribute::builder()
                            .key("score")
                            .value(json!(0.75))
                            .build(),
                    ),
                    RetrievalFilterConfiguration::OrAll(vec![
                        RetrievalFilterConfiguration::Equals(
                            FilterAttribute::builder()
                                .key("published")
                                .value(json!(true))
                                .build(),
                        ),
                        RetrievalFilterConfiguration::Equals(
                            FilterAttribute::builder()
                                .key("meta")
                                .value(json!({"a": [1, {"b": "c"}], "n": -2, "z": null}))
                                .build(),
                        ),
                    ]),
                ]))
                .knowledge_source(KnowledgeSource::AssistantAssociationIds(vec![
                    "12345678-90ab-4cde-8f01-234567890abc".to_string(),
                ]))
                .number_of_results(10)
                .override_knowledge_base_search_type(KnowledgeBaseSearchType::Hybrid)
                .build(),
        )
        .retrieval_query("How do I reset my password?")
        .send()
        .await
        .expect("qconnect_Retrieve_union_document_filter");
    assert_botocore_request(
        "qconnect_Retrieve_union_document_filter",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_update_session_data_patch_union_list() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"sessionArn": "arn:aws:wisdom:us-west-2:123456789012:session/a1b2c3d4/5e6f7a8b",
            "sessionId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "namespace": "Custom", "data": []}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .update_session_data()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .data(
            RuntimeSessionData::builder()
                .key("customerName")
                .value(RuntimeSessionDataValue::StringValue("Zoë".to_string()))
                .build(),
        )
        .data(
            RuntimeSessionData::builder()
                .key("orderId")
                .value(RuntimeSessionDataValue::StringValue("A-1001".to_string()))
                .build(),
        )
        .namespace(SessionDataNamespace::Custom)
        .session_id("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        .send()
        .await
        .expect("qconnect_UpdateSessionData_patch_union_list");
    assert_botocore_request(
        "qconnect_UpdateSessionData_patch_union_list",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qconnect_put_feedback_put_union() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"assistantId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            "assistantArn": "arn:aws:wisdom:us-west-2:123456789012:assistant/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            "targetId": "77777777-8888-4999-aaaa-bbbbbbbbbbbb", "targetType": "RECOMMENDATION",
            "contentFeedback": {"generativeContentFeedbackData": {"relevance": "HELPFUL"}}}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .put_feedback()
        .assistant_id("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
        .content_feedback(ContentFeedbackData::GenerativeContentFeedbackData(
            GenerativeContentFeedbackData::builder()
                .relevance(Relevance::Helpful)
                .build(),
        ))
        .target_id("77777777-8888-4999-aaaa-bbbbbbbbbbbb")
        .target_type(TargetType::Recommendation)
        .send()
        .await
        .expect("qconnect_PutFeedback_put_union");
    assert_botocore_request("qconnect_PutFeedback_put_union", &only_request(&server));
}

#[tokio::test]
async fn qconnect_search_content_query_and_body() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"contentSummaries": []}"#));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    client
        .search_content()
        .knowledge_base_id("8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b")
        .max_results(50)
        .next_token("tok")
        .search_expression(
            SearchExpression::builder()
                .filters(
                    Filter::builder()
                        .field(FilterField::Name)
                        .operator(FilterOperator::Equals)
                        .value("refund policy")
                        .build(),
                )
                .filters(
                    Filter::builder()
                        .field(FilterField::Name)
                        .operator(FilterOperator::Equals)
                        .value("returns")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("qconnect_SearchContent_query_and_body");
    assert_botocore_request(
        "qconnect_SearchContent_query_and_body",
        &only_request(&server),
    );
}

/// `clientToken` is not set: the client fills in a fresh UUID v4 on every send, as botocore does.
#[tokio::test]
async fn qconnect_create_assistant_autopopulated_client_token() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    let response = r#"{"assistant": {"assistantId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        "name": "support-assistant", "type": "AGENT", "status": "ACTIVE"}}"#;
    server.respond(CannedResponse::json(200, response));
    server.respond(CannedResponse::json(200, response));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let call = client
        .create_assistant()
        .description("Assistant for the support team")
        .name("support-assistant")
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .kms_key_id("arn:aws:kms:us-west-2:123456789012:key/1234abcd")
                .build(),
        )
        .tags("env", "test")
        .r#type(AssistantType::Agent);
    call.clone()
        .send()
        .await
        .expect("qconnect_CreateAssistant_autopopulated_client_token");
    call.send()
        .await
        .expect("qconnect_CreateAssistant_autopopulated_client_token (second call)");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one request per call");
    let mut tokens = Vec::new();
    for request in &requests {
        assert_botocore_request(
            "qconnect_CreateAssistant_autopopulated_client_token",
            request,
        );
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        let token = body["clientToken"].as_str().expect("clientToken is sent");
        assert_uuid_v4(token);
        tokens.push(token.to_string());
    }
    assert_ne!(tokens[0], tokens[1], "each call sends a new token");
}

// ---------------------------------------------------------------------------------------------
// Personalize (awsJson1.1): everything in the body, POST / with X-Amz-Target.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn personalize_list_dataset_groups_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"datasetGroups": []}"#));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .list_dataset_groups()
        .send()
        .await
        .expect("personalize_ListDatasetGroups_empty");
    assert_botocore_request(
        "personalize_ListDatasetGroups_empty",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_create_dataset_group_tags() {
    use awsgen_personalize::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"datasetGroupArn": "arn:aws:personalize:us-west-2:123456789012:dataset-group/movies", "domain": "VIDEO_ON_DEMAND"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .create_dataset_group()
        .domain(Domain::VideoOnDemand)
        .name("movies")
        .role_arn("arn:aws:iam::123456789012:role/PersonalizeRole")
        .tags(Tag::builder().tag_key("env").tag_value("prod").build())
        .tags(Tag::builder().tag_key("owner").tag_value("").build())
        .send()
        .await
        .expect("personalize_CreateDatasetGroup_tags");
    assert_botocore_request(
        "personalize_CreateDatasetGroup_tags",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_create_solution_nested_structures() {
    use awsgen_personalize::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"solutionArn": "arn:aws:personalize:us-west-2:123456789012:solution/movies-hpo"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .create_solution()
        .dataset_group_arn("arn:aws:personalize:us-west-2:123456789012:dataset-group/movies")
        .event_type("watch")
        .name("movies-hpo")
        .perform_auto_ml(false)
        .perform_hpo(true)
        .recipe_arn("arn:aws:personalize:::recipe/aws-user-personalization")
        .solution_config(
            SolutionConfig::builder()
                .algorithm_hyper_parameters("bptt", "16")
                .algorithm_hyper_parameters("hidden_dimension", "128")
                .auto_training_config(
                    AutoTrainingConfig::builder()
                        .scheduling_expression("rate(7 days)")
                        .build(),
                )
                .event_value_threshold("0.5")
                .events_config(
                    EventsConfig::builder()
                        .event_parameters_list(
                            EventParameters::builder()
                                .event_type("watch")
                                .event_value_threshold(0.0)
                                .weight(0.25)
                                .build(),
                        )
                        .event_parameters_list(
                            EventParameters::builder()
                                .event_type("click")
                                .event_value_threshold(1.5)
                                .weight(1.0)
                                .build(),
                        )
                        .build(),
                )
                .hpo_config(
                    HpoConfig::builder()
                        .algorithm_hyper_parameter_ranges(
                            HyperParameterRanges::builder()
                                .categorical_hyper_parameter_ranges(
                                    CategoricalHyperParameterRange::builder()
                                        .name("recency_mask")
                                        .values("true")
                                        .values("false")
                                        .build(),
                                )
                                .continuous_hyper_parameter_ranges(
                                    ContinuousHyperParameterRange::builder()
                                        .max_value(0.5)
                                        .min_value(0.001)
                                        .name("learning_rate")
                                        .build(),
                                )
                                .integer_hyper_parameter_ranges(
                                    IntegerHyperParameterRange::builder()
                                        .max_value(32)
                                        .min_value(2)
                                        .name("bptt")
                                        .build(),
                                )
                                .build(),
                        )
                        .hpo_objective(
                            HpoObjective::builder()
                                .metric_name("precision_at_25")
                                .metric_regex(r"precision_at_25=(\d+\.\d+)")
                                .r#type("Maximize")
                                .build(),
                        )
                        .hpo_resource_config(
                            HpoResourceConfig::builder()
                                .max_number_of_training_jobs("16")
                                .max_parallel_training_jobs("4")
                                .build(),
                        )
                        .build(),
                )
                .training_data_config(
                    TrainingDataConfig::builder()
                        .excluded_dataset_columns(
                            "INTERACTIONS",
                            vec!["EVENT_VALUE".to_string(), "DEVICE".to_string()],
                        )
                        .excluded_dataset_columns("ITEMS", vec!["DESCRIPTION".to_string()])
                        .build(),
                )
                .build(),
        )
        .tags(Tag::builder().tag_key("team").tag_value("recs").build())
        .send()
        .await
        .expect("personalize_CreateSolution_nested_structures");
    assert_botocore_request(
        "personalize_CreateSolution_nested_structures",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_create_dataset_import_job_struct_bool() {
    use awsgen_personalize::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"datasetImportJobArn": "arn:aws:personalize:us-west-2:123456789012:dataset-import-job/import-2024-01"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .create_dataset_import_job()
        .data_source(
            DataSource::builder()
                .data_location("s3://bucket/path/interactions.csv")
                .build(),
        )
        .dataset_arn("arn:aws:personalize:us-west-2:123456789012:dataset/movies/INTERACTIONS")
        .import_mode(ImportMode::Incremental)
        .job_name("import-2024-01")
        .publish_attribution_metrics_to_s3(false)
        .role_arn("arn:aws:iam::123456789012:role/PersonalizeRole")
        .send()
        .await
        .expect("personalize_CreateDatasetImportJob_struct_bool");
    assert_botocore_request(
        "personalize_CreateDatasetImportJob_struct_bool",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_create_campaign_double_map() {
    use awsgen_personalize::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"campaignArn": "arn:aws:personalize:us-west-2:123456789012:campaign/movies-campaign"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .create_campaign()
        .campaign_config(
            CampaignConfig::builder()
                .enable_metadata_with_recommendations(true)
                .item_exploration_config("explorationItemAgeCutOff", "30")
                .item_exploration_config("explorationWeight", "0.3")
                .ranking_influence(RankingInfluenceType::Freshness, 1.0)
                .ranking_influence(RankingInfluenceType::Popularity, 0.1)
                .sync_with_latest_solution_version(false)
                .build(),
        )
        .min_provisioned_tps(1)
        .name("movies-campaign")
        .solution_version_arn(
            "arn:aws:personalize:us-west-2:123456789012:solution/movies-hpo/1a2b3c4d",
        )
        .send()
        .await
        .expect("personalize_CreateCampaign_double_map");
    assert_botocore_request(
        "personalize_CreateCampaign_double_map",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_create_filter_string_escaping() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"filterArn": "arn:aws:personalize:us-west-2:123456789012:filter/no-comedies"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .create_filter()
        .dataset_group_arn("arn:aws:personalize:us-west-2:123456789012:dataset-group/movies")
        .filter_expression(
            "EXCLUDE ItemID WHERE Items.GENRES IN (\"Comédie\", \"a\\\"b\") | tab\there",
        )
        .name("no-comedies")
        // An empty list is sent as `[]`, not left out.
        .set_tags(Some(vec![]))
        .send()
        .await
        .expect("personalize_CreateFilter_string_escaping");
    assert_botocore_request(
        "personalize_CreateFilter_string_escaping",
        &only_request(&server),
    );
}

#[tokio::test]
async fn personalize_untag_resource_list() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    client
        .untag_resource()
        .resource_arn("arn:aws:personalize:us-west-2:123456789012:dataset-group/movies")
        .tag_keys("env")
        .tag_keys("owner")
        .send()
        .await
        .expect("personalize_UntagResource_list");
    assert_botocore_request("personalize_UntagResource_list", &only_request(&server));
}

// ---------------------------------------------------------------------------------------------
// QBusiness (rest-json): literal query strings (`?sync`), timestamps in the query and the body,
// blobs, documents, deeply nested unions and lists, percent-encoding of labels.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn qbusiness_list_groups_timestamp_query_offset() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"items": []}"#));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .list_groups()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .max_results(3)
        .updated_earlier_than(DateTime::parse_iso8601("2024-02-03T06:05:06.007+02:00").unwrap())
        .send()
        .await
        .expect("qbusiness_ListGroups_timestamp_query_offset");
    assert_botocore_request(
        "qbusiness_ListGroups_timestamp_query_offset",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_chat_sync_literal_query_only() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"conversationId": "c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5", "systemMessage": "See the handbook.",
            "systemMessageId": "m2", "userMessageId": "m1"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .chat_sync()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .client_token("chat-sync-token-0001")
        .user_message("What is our PTO policy?")
        .send()
        .await
        .expect("qbusiness_ChatSync_literal_query_only");
    assert_botocore_request(
        "qbusiness_ChatSync_literal_query_only",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_chat_sync_literal_query_members_blob_attachments() {
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"conversationId": "c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5", "systemMessage": "Summary.",
            "systemMessageId": "m4", "userMessageId": "m3"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .chat_sync()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .attachments(
            AttachmentInput::builder()
                .data(Blob::from("Hello, Q! ünïcødé ✓"))
                .name("notes.txt")
                .build(),
        )
        .attachments(
            AttachmentInput::builder()
                .copy_from(CopyFromSource::Conversation(
                    ConversationSource::builder()
                        .attachment_id("aabbccdd-eeff-4011-8233-445566778899")
                        .conversation_id("c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5")
                        .build(),
                ))
                .build(),
        )
        .attribute_filter(
            AttributeFilter::builder()
                .and_all_filters(
                    AttributeFilter::builder()
                        .greater_than_or_equals(
                            DocumentAttribute::builder()
                                .name("_created_at")
                                .value(DocumentAttributeValue::DateValue(
                                    DateTime::parse_iso8601("2023-06-15T12:30:45.25Z").unwrap(),
                                ))
                                .build(),
                        )
                        .build(),
                )
                .and_all_filters(
                    AttributeFilter::builder()
                        .contains_any(
                            DocumentAttribute::builder()
                                .name("_category")
                                .value(DocumentAttributeValue::StringListValue(vec![
                                    "hr".to_string(),
                                    "policy".to_string(),
                                ]))
                                .build(),
                        )
                        .build(),
                )
                .and_all_filters(
                    AttributeFilter::builder()
                        .not_filter(
                            AttributeFilter::builder()
                                .equals_to(
                                    DocumentAttribute::builder()
                                        .name("_view_count")
                                        .value(DocumentAttributeValue::LongValue(0))
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .chat_mode(ChatMode::RetrievalMode)
        .client_token("chat-sync-token-0002")
        .conversation_id("c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5")
        .parent_message_id("f0e1d2c3-b4a5-4968-8776-655443322110")
        .user_groups("Group A")
        .user_groups("eng/platform")
        .user_groups("x+y~z")
        .user_id("jane.doe@example.com")
        .user_message("Summarise the attached files")
        .send()
        .await
        .expect("qbusiness_ChatSync_literal_query_members_blob_attachments");
    assert_botocore_request(
        "qbusiness_ChatSync_literal_query_members_blob_attachments",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_chat_sync_action_execution_document() {
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"conversationId": "c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5", "systemMessage": "Ticket created.",
            "systemMessageId": "m6", "userMessageId": "m5"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .chat_sync()
        .action_execution(
            ActionExecution::builder()
                .payload(
                    "details",
                    ActionExecutionPayloadField::builder()
                        .value(json!({"extra": null, "serial": "SN-1", "warranty": true}))
                        .build(),
                )
                .payload(
                    "labels",
                    ActionExecutionPayloadField::builder()
                        .value(json!(["hw", "urgent"]))
                        .build(),
                )
                .payload(
                    "priority",
                    ActionExecutionPayloadField::builder()
                        .value(json!(2))
                        .build(),
                )
                .payload(
                    "summary",
                    ActionExecutionPayloadField::builder()
                        .value(json!("Laptop broken"))
                        .build(),
                )
                .payload_field_name_separator(".")
                .plugin_id("b7a6c5d4-e3f2-4a1b-9c0d-e1f2a3b4c5d6")
                .build(),
        )
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .chat_mode(ChatMode::PluginMode)
        .chat_mode_configuration(ChatModeConfiguration::PluginConfiguration(
            PluginConfiguration::builder()
                .plugin_id("b7a6c5d4-e3f2-4a1b-9c0d-e1f2a3b4c5d6")
                .build(),
        ))
        .client_token("chat-sync-token-0003")
        .conversation_id("c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5")
        .parent_message_id("f0e1d2c3-b4a5-4968-8776-655443322110")
        .send()
        .await
        .expect("qbusiness_ChatSync_action_execution_document");
    assert_botocore_request(
        "qbusiness_ChatSync_action_execution_document",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_get_group_label_percent_encoding() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"status": {"status": "SUCCEEDED"}}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .get_group()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .group_name("Sales Team/EMEA: ü~+ 100%")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .send()
        .await
        .expect("qbusiness_GetGroup_label_percent_encoding");
    assert_botocore_request(
        "qbusiness_GetGroup_label_percent_encoding",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_get_document_content_label_and_query() {
    use awsgen_qbusiness::types::OutputFormat;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"presignedUrl": "https://example.com/resume.pdf?X-Amz-Signature=abc", "mimeType": "application/pdf"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .get_document_content()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .document_id("s3://bucket/folder one/Résumé (v2).pdf")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .output_format(OutputFormat::Raw)
        .send()
        .await
        .expect("qbusiness_GetDocumentContent_label_and_query");
    assert_botocore_request(
        "qbusiness_GetDocumentContent_label_and_query",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_list_documents_list_query() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"documentDetailList": []}"#));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .list_documents()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_ids("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .max_results(100)
        .next_token("n/1")
        .send()
        .await
        .expect("qbusiness_ListDocuments_list_query");
    assert_botocore_request("qbusiness_ListDocuments_list_query", &only_request(&server));
}

#[tokio::test]
async fn qbusiness_untag_resource_arn_label_repeated_query() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .untag_resource()
        .resource_arn(
            "arn:aws:qbusiness:us-west-2:123456789012:application/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        )
        .tag_keys("env")
        .tag_keys("cost center")
        .tag_keys("a+b")
        .send()
        .await
        .expect("qbusiness_UntagResource_arn_label_repeated_query");
    assert_botocore_request(
        "qbusiness_UntagResource_arn_label_repeated_query",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_tag_resource_arn_label_tags_list() {
    use awsgen_qbusiness::types::Tag;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .tag_resource()
        .resource_arn(
            "arn:aws:qbusiness:us-west-2:123456789012:application/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
        )
        .tags(Tag::builder().key("env").value("prod").build())
        .tags(Tag::builder().key("team").value("Q&A").build())
        .send()
        .await
        .expect("qbusiness_TagResource_arn_label_tags_list");
    assert_botocore_request(
        "qbusiness_TagResource_arn_label_tags_list",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_list_applications_get_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"applications": []}"#));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .list_applications()
        .send()
        .await
        .expect("qbusiness_ListApplications_get_empty");
    assert_botocore_request(
        "qbusiness_ListApplications_get_empty",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_update_application_put_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .update_application()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .send()
        .await
        .expect("qbusiness_UpdateApplication_put_empty");
    assert_botocore_request(
        "qbusiness_UpdateApplication_put_empty",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_delete_application_delete_empty() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .delete_application()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .send()
        .await
        .expect("qbusiness_DeleteApplication_delete_empty");
    assert_botocore_request(
        "qbusiness_DeleteApplication_delete_empty",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_start_data_source_sync_job_post_no_body_members() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"executionId": "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .start_data_source_sync_job()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .send()
        .await
        .expect("qbusiness_StartDataSourceSyncJob_post_no_body_members");
    assert_botocore_request(
        "qbusiness_StartDataSourceSyncJob_post_no_body_members",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_delete_conversation_delete_query() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .delete_conversation()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .conversation_id("c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5")
        .user_id("user 1")
        .send()
        .await
        .expect("qbusiness_DeleteConversation_delete_query");
    assert_botocore_request(
        "qbusiness_DeleteConversation_delete_query",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_update_chat_controls_configuration_patch_nested_lists() {
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .update_chat_controls_configuration()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .blocked_phrases_configuration_update(
            BlockedPhrasesConfigurationUpdate::builder()
                .blocked_phrases_to_create_or_update("secret project")
                .blocked_phrases_to_create_or_update("codename")
                // An empty list is sent as `[]`, not left out.
                .set_blocked_phrases_to_delete(Some(vec![]))
                .system_message_override("I can't talk about that.")
                .build(),
        )
        .client_token("chat-controls-token-0001")
        .creator_mode_configuration(
            CreatorModeConfiguration::builder()
                .creator_mode_control(CreatorModeControl::Disabled)
                .build(),
        )
        .hallucination_reduction_configuration(
            HallucinationReductionConfiguration::builder()
                .hallucination_reduction_control(HallucinationReductionControl::Enabled)
                .build(),
        )
        .orchestration_configuration(
            OrchestrationConfiguration::builder()
                .control(OrchestrationControl::Enabled)
                .build(),
        )
        .response_scope(ResponseScope::EnterpriseContentOnly)
        .topic_configurations_to_create_or_update(
            TopicConfiguration::builder()
                .description("Compensation questions")
                .example_chat_messages("What does Bob earn?")
                .name("salaries")
                .rules(
                    Rule::builder()
                        .included_users_and_groups(
                            UsersAndGroups::builder()
                                .user_groups("hr")
                                .user_ids("u1")
                                .user_ids("u2")
                                .build(),
                        )
                        .rule_configuration(RuleConfiguration::ContentBlockerRule(
                            ContentBlockerRule::builder()
                                .system_message_override("Ask HR.")
                                .build(),
                        ))
                        .rule_type(RuleType::ContentBlockerRule)
                        .build(),
                )
                .rules(
                    Rule::builder()
                        .excluded_users_and_groups(
                            UsersAndGroups::builder().user_groups("execs").build(),
                        )
                        .rule_configuration(RuleConfiguration::ContentRetrievalRule(
                            ContentRetrievalRule::builder()
                                .eligible_data_sources(
                                    EligibleDataSource::builder()
                                        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
                                        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
                                        .build(),
                                )
                                .build(),
                        ))
                        .rule_type(RuleType::ContentRetrievalRule)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("qbusiness_UpdateChatControlsConfiguration_patch_nested_lists");
    assert_botocore_request(
        "qbusiness_UpdateChatControlsConfiguration_patch_nested_lists",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_put_feedback_body_timestamps_query() {
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .put_feedback()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .conversation_id("c1c2c3c4-d5d6-4e7e-8f9f-a0a1a2a3a4a5")
        .message_copied_at(DateTime::parse_iso8601("2024-03-04T10:20:30.999Z").unwrap())
        .message_id("f0e1d2c3-b4a5-4968-8776-655443322110")
        .message_usefulness(
            MessageUsefulnessFeedback::builder()
                .comment("Wrong date")
                .reason(MessageUsefulnessReason::NotFactuallyCorrect)
                .submitted_at(DateTime::parse_iso8601("2024-03-04T10:21:00Z").unwrap())
                .usefulness(MessageUsefulness::NotUseful)
                .build(),
        )
        .user_id("user-1")
        .send()
        .await
        .expect("qbusiness_PutFeedback_body_timestamps_query");
    assert_botocore_request(
        "qbusiness_PutFeedback_body_timestamps_query",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_batch_put_document_blob_union_timestamp() {
    // `types::Document` is the structure of an indexed document, not `awsgen_runtime::Document`.
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"failedDocuments": []}"#));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .batch_put_document()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .data_source_sync_id("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")
        .documents(
            Document::builder()
                .access_configuration(
                    AccessConfiguration::builder()
                        .access_controls(
                            AccessControl::builder()
                                .member_relation(MemberRelation::Or)
                                .principals(Principal::User(
                                    PrincipalUser::builder()
                                        .access(ReadAccessType::Allow)
                                        .id("u1")
                                        .membership_type(MembershipType::Index)
                                        .build(),
                                ))
                                .principals(Principal::Group(
                                    PrincipalGroup::builder()
                                        .access(ReadAccessType::Deny)
                                        .name("hr")
                                        .build(),
                                ))
                                .build(),
                        )
                        .member_relation(MemberRelation::And)
                        .build(),
                )
                .attributes(
                    DocumentAttribute::builder()
                        .name("_created_at")
                        .value(DocumentAttributeValue::DateValue(
                            DateTime::parse_iso8601("2023-12-31T23:59:59.999999Z").unwrap(),
                        ))
                        .build(),
                )
                .attributes(
                    DocumentAttribute::builder()
                        .name("pages")
                        .value(DocumentAttributeValue::LongValue(42))
                        .build(),
                )
                .attributes(
                    DocumentAttribute::builder()
                        .name("tags")
                        .value(DocumentAttributeValue::StringListValue(vec![
                            "a".to_string(),
                            "b".to_string(),
                        ]))
                        .build(),
                )
                .attributes(
                    DocumentAttribute::builder()
                        .name("author")
                        .value(DocumentAttributeValue::StringValue("Zoë".to_string()))
                        .build(),
                )
                .content(DocumentContent::Blob(Blob::from(
                    "<html><body>Hi ✓</body></html>",
                )))
                .content_type(ContentType::Html)
                .id("doc-1")
                .title("Doc one")
                .build(),
        )
        .documents(
            Document::builder()
                .content(DocumentContent::S3(
                    S3::builder()
                        .bucket("my-bucket")
                        .key("docs/doc 2.pdf")
                        .build(),
                ))
                .content_type(ContentType::Pdf)
                .id("doc-2")
                .build(),
        )
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .role_arn("arn:aws:iam::123456789012:role/QBusinessRole")
        .send()
        .await
        .expect("qbusiness_BatchPutDocument_blob_union_timestamp");
    assert_botocore_request(
        "qbusiness_BatchPutDocument_blob_union_timestamp",
        &only_request(&server),
    );
}

#[tokio::test]
async fn qbusiness_create_data_source_document_configuration() {
    use awsgen_qbusiness::types::Tag;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"dataSourceId": "d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
            "dataSourceArn": "arn:aws:qbusiness:us-west-2:123456789012:application/a0b1c2d3/index/1a2b3c4d/data-source/d5c4b3a2"}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    client
        .create_data_source()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .client_token("create-data-source-token")
        .configuration(json!({
            "additionalProperties": {
                "crawlDepth": 2,
                "honorRobots": true,
                "maxFileSizeInMegaBytes": 50.5,
                "proxy": null
            },
            "connectionConfiguration": {
                "repositoryEndpointMetadata": {
                    "authentication": "NoAuthentication",
                    "seedUrlConnections": [{"seedUrl": "https://example.com/"}]
                }
            },
            "syncMode": "FULL_CRAWL",
            "type": "WEBCRAWLERV2"
        }))
        .description("Crawls example.com")
        .display_name("web crawler")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .role_arn("arn:aws:iam::123456789012:role/QBusinessDataSourceRole")
        .sync_schedule("cron(0 12 * * ? *)")
        .tags(Tag::builder().key("env").value("test").build())
        .send()
        .await
        .expect("qbusiness_CreateDataSource_document_configuration");
    assert_botocore_request(
        "qbusiness_CreateDataSource_document_configuration",
        &only_request(&server),
    );
}

// ---------------------------------------------------------------------------------------------
// Coverage: every fixture case is exercised here or in `seed_operations.rs`.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_case_has_a_test() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/botocore_requests.json")).unwrap();
    let this_file = include_str!("botocore_requests.rs");
    let seed_file = include_str!("seed_operations.rs");
    let cases = fixture.as_array().expect("the fixture is a list of cases");
    assert!(!cases.is_empty());
    let missing: Vec<&str> = cases
        .iter()
        .map(|case| case["name"].as_str().expect("every case has a name"))
        .filter(|name| {
            let quoted = format!("\"{name}\"");
            !this_file.contains(&quoted) && !seed_file.contains(&quoted)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "fixture cases without a test: {missing:?}"
    );
}
