"""ice/judging"""
