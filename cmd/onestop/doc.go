// Command onestop is the command-line tool of the onestop library, for
// policy staff and operators:
//
//	onestop screen     screen households (JSON, JSON array or JSON Lines) with the
//	                   embedded national pack or given packs: a Japanese table or JSON Lines
//	onestop pack       check a rule pack, run its rule tests, print the facts' JSON Schema
//	onestop faq        evaluate and check an FAQ knowledge base
//	onestop chat       try the FAQ chatbot, with guided screening, in a terminal
//	onestop synth      write made-up households for load tests
//	onestop form       check a form or application definition, print a submission's
//	                   JSON Schema, check a submission and list the questions still to ask
//
// Messages for people are in Japanese. Exit codes: 0 success, 1 a problem
// in the input (a household or a pack), 2 a usage error.
package main
