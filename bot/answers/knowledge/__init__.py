"""Knowledge search: answers from the agency's articles when no intent fits."""
