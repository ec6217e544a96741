# The two commands of the README, and the steps they are made of.
.PHONY: test

# Set up and pass every test (what CI runs).
test:
	scripts/test.sh
